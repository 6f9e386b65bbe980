import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TestSystem } from '../support/system';
import { actionGroupBody, documents, type Invocations } from './support';

/** agent-invoker's and order-action-group's functions as `./scripts/invoke-local` runs them. */
export const agentTests = (system: TestSystem, invocations: Invocations) => {
  test('agent-invoker: invokeAgent answers tenant2-user’s prompt, and refuses an answer not owned by its user', () => {
    // Act
    const answered = invocations.result(
      'agent-invoker',
      'invokeAgent',
      'events/prompt-submitted.json',
      'tenant2-user',
    );
    const notOwned = invocations.result(
      'agent-invoker',
      'invokeAgent',
      'events/prompt-submitted-not-owned.json',
    );

    // Assess
    expect(answered.response).toMatchObject({ outcome: 'completed' });
    expect(notOwned.response).toMatchObject({ outcome: 'refused' });
  });

  test('order-action-group: actionGroup reads the caller’s own tenant and orders, and ignores identity in parameters', () => {
    // Act
    const policy = actionGroupBody(
      invocations.result(
        'order-action-group',
        'actionGroup',
        'events/get-return-policy.json',
        'tenant2-user',
      ),
    );
    const orders = actionGroupBody(
      invocations.result('order-action-group', 'actionGroup', 'events/list-orders.json', 'tenant1-user'),
    );
    const spoofed = actionGroupBody(
      invocations.result(
        'order-action-group',
        'actionGroup',
        'events/get-order-spoofed-identity.json',
        'tenant1-user',
      ),
    );

    // Assess
    expect(policy).toMatchObject({ body: { returnPolicyDays: 20 } });
    // tenant1-user's two seeded orders (42.5 and 129.99), not tenant1-user2's (15).
    expect(orders.body).toMatchObject({ count: 2 });
    expect(
      (orders.body as { orders: { total: number }[] }).orders
        .map((order) => order.total)
        .sort((a, b) => a - b),
    ).toEqual([42.5, 129.99]);
    // o-2001 looked up as tenant1-user's own (the tenantId and userId parameters are ignored): none.
    expect(spoofed.body).toEqual({ error: 'NOT_FOUND', message: 'Order not found' });
  });

  test('order-action-group: provisionTenant provisions tenant5', async () => {
    // Act
    const { response } = invocations.result(
      'order-action-group',
      'provisionTenant',
      'events/tenant-onboarded.json',
    );
    const { Item } = await documents(system).send(
      new GetCommand({ TableName: system.stack.info.tenantConfigTableName, Key: { tenantId: 'tenant5' } }),
    );

    // Assess
    expect(response).toMatchObject({ tenantId: 'tenant5' });
    expect(Item).toMatchObject({ tenantId: 'tenant5', name: 'Tenant Five' });
  });
};
