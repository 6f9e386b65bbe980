import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tenantRecord } from '../../../test/support';
import { route } from '../../../test/support/admin-api';
import * as admin from '../../../test/support/tenants-admin';

describe('tenantsAdmin', () => {
  it('lets a platform admin create a tenant and invites its first admin through Cognito’s own message', async () => {
    // Prepare
    const token = await admin.platformToken();

    // Act
    const response = await admin.call({ ...route('POST /admin/tenants'), token, body: admin.acme });

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({
      created: true,
      firstAdmin: { username: 'acme-admin', tenantAdmin: true },
    });
    const invite = admin.cognitoMock.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(invite).toMatchObject({ Username: 'acme-admin', DesiredDeliveryMediums: ['EMAIL'] });
    expect(invite?.TemporaryPassword).toBeUndefined();
    expect(invite?.MessageAction).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toMatch(/password/i);
    expect(
      admin.cognitoMock.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input.GroupName),
    ).toEqual(['tenant-acme', 'admin-acme']);
  });

  it('lists tenants a page at a time with an opaque cursor', async () => {
    // Prepare
    admin.documentsMock.on(ScanCommand).resolves({
      Items: [tenantRecord('tenant2'), tenantRecord('tenant1')],
      LastEvaluatedKey: { tenantId: 'tenant2' },
    });
    const token = await admin.platformToken();

    // Act
    const response = await admin.call({ ...route('GET /admin/tenants'), token });

    // Assess
    expect(response.statusCode).toBe(200);
    expect((response.body.items as { tenantId: string }[]).map((t) => t.tenantId)).toEqual([
      'tenant1',
      'tenant2',
    ]);
    expect(typeof response.body.nextCursor).toBe('string');
  });

  it('updates a tenant and publishes TenantUpdated with the whole new definition', async () => {
    // Prepare
    admin.documentsMock
      .on(UpdateCommand)
      .resolves({ Attributes: tenantRecord('acme', { returnPolicyDays: 14, tier: 'premium' }) });
    const token = await admin.platformToken();

    // Act
    const response = await admin.call({
      ...admin.updateTenant('acme', { returnPolicyDays: 14, tier: 'premium' }),
      token,
    });

    // Assess
    expect(response.statusCode).toBe(200);
    const entry = admin.eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.DetailType).toBe('TenantUpdated');
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual({
      tenantId: 'acme',
      name: 'Tenant acme',
      returnPolicyDays: 14,
      tier: 'premium',
    });
  });

  it('suspends a tenant and publishes TenantSuspended', async () => {
    // Prepare
    admin.documentsMock
      .on(UpdateCommand)
      .resolves({ Attributes: tenantRecord('acme', { status: 'SUSPENDED' }) });
    const token = await admin.platformToken();

    // Act
    const response = await admin.call({ ...admin.tenantAction('suspend', 'acme'), token });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body.status).toBe('SUSPENDED');
    expect(
      admin.documentsMock.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues,
    ).toMatchObject({
      ':status': 'SUSPENDED',
    });
    expect(admin.publishedTypes()).toEqual(['TenantSuspended']);
  });

  it('answers 404 for an unknown tenant and 400 for an invalid tier, changing nothing', async () => {
    // Prepare
    admin.documentsMock
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }));
    admin.documentsMock.on(GetCommand).resolves({});
    const token = await admin.platformToken();

    // Act
    const missing = await admin.call({ ...admin.tenantAction('resume', 'nope'), token });
    const badTier = await admin.call({ ...admin.updateTenant('acme', { tier: 'gold' }), token });

    // Assess
    expect(missing).toEqual({
      statusCode: 404,
      body: { error: { code: 'TENANT_NOT_FOUND', message: 'Tenant nope not found' } },
    });
    expect(badTier.statusCode).toBe(400);
    expect((badTier.body.error as { code: string }).code).toBe('INVALID_INPUT');
    expect(admin.eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
