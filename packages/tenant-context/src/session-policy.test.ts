import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { type PolicyDocument, tenantSessionPolicy } from './credentials';
import { TENANT_ID_PATTERN, type TenantContext, tenantContext } from './identity';

/** An IAM policy variable such as `${aws:PrincipalTag/tenantId}` (built so it is not a template). */
const policyVariable = (name: string): string => `$\{${name}}`;

/**
 * The session policy is judged by an independent IAM evaluator (@cloud-copilot/iam-simulate), not by
 * reading its JSON: for random valid ids, what AWS would allow and deny.
 */

const account = '123456789012';
const tables = {
  tenantConfigTableArn: `arn:aws:dynamodb:us-east-1:${account}:table/tenant-assistant-order-action-group-dev-tenant-config`,
  ordersTableArnPrefix: `arn:aws:dynamodb:us-east-1:${account}:table/tenant-assistant-order-action-group-dev-orders-`,
};
const configTable = tables.tenantConfigTableArn;
const ordersTable = (tenantId: string) => `${tables.ordersTableArnPrefix}${tenantId}`;

/** The role's own policy is allow-all here, so every decision below is the session policy's alone. */
const allowAllDynamoDb = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }],
};

/** TenantDataAccessRole's policy as DESIGN section 5 states it (policy variables on the session tags). */
const designRolePolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: configTable,
      Condition: {
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': [policyVariable('aws:PrincipalTag/tenantId')],
        },
      },
    },
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: `${tables.ordersTableArnPrefix}${policyVariable('aws:PrincipalTag/tenantId')}`,
      Condition: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [policyVariable('aws:PrincipalTag/userId')] },
      },
    },
  ],
};

interface Request {
  action: string;
  resource: string;
  leadingKeys?: string[];
}

const decide = async (
  sessionPolicy: PolicyDocument | undefined,
  request: Request,
  options: { rolePolicy?: unknown; tags?: TenantContext } = {},
): Promise<string> => {
  const simulation: Simulation = {
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/TenantDataAccessRole/tenant-session`,
      action: request.action,
      resource: { resource: request.resource, accountId: account },
      contextVariables: {
        ...(request.leadingKeys ? { 'dynamodb:LeadingKeys': request.leadingKeys } : {}),
        ...(options.tags
          ? {
              'aws:PrincipalTag/tenantId': options.tags.tenantId,
              'aws:PrincipalTag/userId': options.tags.userId,
            }
          : {}),
      },
    },
    identityPolicies: [{ name: 'role-policy', policy: options.rolePolicy ?? allowAllDynamoDb }],
    ...(sessionPolicy ? { sessionPolicy } : {}),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  // A simulation error is a broken test, never a "deny".
  if (result.resultType === 'error')
    throw new Error(`iam-simulate refused the request: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
};

const tenantIdArb = fc.stringMatching(TENANT_ID_PATTERN);
const userIdArb = fc.uuid({ version: 4 });
/** A caller, another tenant (sometimes the caller's id with a suffix) and another user. */
const scenarioArb = fc
  .record({
    tenantId: tenantIdArb,
    userId: userIdArb,
    otherTenant: tenantIdArb,
    otherUser: userIdArb,
    suffix: fc.boolean(),
  })
  .map(({ tenantId, userId, otherTenant, otherUser, suffix }) => ({
    caller: tenantContext({ tenantId, userId }),
    otherTenantId: suffix && tenantId.length < 63 ? `${tenantId}0` : otherTenant,
    otherUserId: otherUser,
  }))
  .filter(
    ({ caller, otherTenantId, otherUserId }) =>
      caller.tenantId !== otherTenantId && caller.userId !== otherUserId,
  );

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

const runs = { numRuns: 50 };

const expectAll = async (policy: PolicyDocument, requests: Request[], expected: string) => {
  for (const request of requests) {
    expect({ request, decision: await decide(policy, request) }).toEqual({ request, decision: expected });
  }
};

/** Checks, for every generated scenario, that the caller's session policy decides each of its requests as `expected`. */
const decidesEvery = (
  requestsOf: (scenario: Scenario & { ownOrders: string }) => Request[],
  expected: 'Allowed' | 'ImplicitlyDenied',
) =>
  fc.assert(
    fc.asyncProperty(scenarioArb, async (scenario) => {
      // Prepare
      const policy = tenantSessionPolicy(scenario.caller, tables);
      const requests = requestsOf({ ...scenario, ownOrders: ordersTable(scenario.caller.tenantId) });

      // Act / Assess
      await expectAll(policy, requests, expected);
    }),
    runs,
  );

describe('tenantSessionPolicy judged by iam-simulate', () => {
  it('allows reading the own tenant config key and the own user order keys', () =>
    decidesEvery(
      ({ caller }) => [
        { action: 'dynamodb:GetItem', resource: configTable, leadingKeys: [caller.tenantId] },
        { action: 'dynamodb:Query', resource: configTable, leadingKeys: [caller.tenantId] },
        {
          action: 'dynamodb:GetItem',
          resource: ordersTable(caller.tenantId),
          leadingKeys: [caller.userId],
        },
        {
          action: 'dynamodb:Query',
          resource: ordersTable(caller.tenantId),
          leadingKeys: [caller.userId],
        },
      ],
      'Allowed',
    ));

  it('denies another tenant config key and another user order keys', () =>
    decidesEvery(
      ({ caller, otherTenantId, otherUserId, ownOrders }) => [
        { action: 'dynamodb:GetItem', resource: configTable, leadingKeys: [otherTenantId] },
        { action: 'dynamodb:Query', resource: configTable, leadingKeys: [otherTenantId] },
        { action: 'dynamodb:GetItem', resource: ownOrders, leadingKeys: [otherUserId] },
        { action: 'dynamodb:Query', resource: ownOrders, leadingKeys: [otherUserId] },
        // keys of the wrong kind: the user id on the config table, the tenant id on the orders table
        { action: 'dynamodb:GetItem', resource: configTable, leadingKeys: [caller.userId] },
        { action: 'dynamodb:Query', resource: ownOrders, leadingKeys: [caller.tenantId] },
      ],
      'ImplicitlyDenied',
    ));

  it('denies mixed keys: a BatchGetItem or a Query whose LeadingKeys has several values', () =>
    decidesEvery(
      ({ caller, otherTenantId, otherUserId, ownOrders }) => [
        {
          action: 'dynamodb:BatchGetItem',
          resource: configTable,
          leadingKeys: [caller.tenantId, otherTenantId],
        },
        {
          action: 'dynamodb:BatchGetItem',
          resource: ownOrders,
          leadingKeys: [caller.userId, otherUserId],
        },
        { action: 'dynamodb:BatchGetItem', resource: ownOrders, leadingKeys: [caller.userId] },
        {
          action: 'dynamodb:Query',
          resource: configTable,
          leadingKeys: [caller.tenantId, otherTenantId],
        },
        { action: 'dynamodb:Query', resource: ownOrders, leadingKeys: [otherUserId, caller.userId] },
      ],
      'ImplicitlyDenied',
    ));

  it('denies Scan, PutItem, DeleteItem and other writes even on the own keys', () =>
    decidesEvery(
      ({ caller, ownOrders }) => [
        { action: 'dynamodb:Scan', resource: configTable },
        { action: 'dynamodb:Scan', resource: ownOrders },
        { action: 'dynamodb:PutItem', resource: configTable, leadingKeys: [caller.tenantId] },
        { action: 'dynamodb:PutItem', resource: ownOrders, leadingKeys: [caller.userId] },
        { action: 'dynamodb:DeleteItem', resource: configTable, leadingKeys: [caller.tenantId] },
        { action: 'dynamodb:DeleteItem', resource: ownOrders, leadingKeys: [caller.userId] },
        { action: 'dynamodb:UpdateItem', resource: ownOrders, leadingKeys: [caller.userId] },
        { action: 'dynamodb:BatchWriteItem', resource: ownOrders, leadingKeys: [caller.userId] },
      ],
      'ImplicitlyDenied',
    ));

  it("denies another tenant's orders table, even with the own user key", () =>
    decidesEvery(
      ({ caller, otherTenantId, otherUserId }) => [
        {
          action: 'dynamodb:GetItem',
          resource: ordersTable(otherTenantId),
          leadingKeys: [caller.userId],
        },
        { action: 'dynamodb:Query', resource: ordersTable(otherTenantId), leadingKeys: [caller.userId] },
        { action: 'dynamodb:Query', resource: ordersTable(otherTenantId), leadingKeys: [otherUserId] },
      ],
      'ImplicitlyDenied',
    ));

  it('denies a Query without leading keys and a Query on an index of the own orders table', async () => {
    // Prepare
    const caller = tenantContext({ tenantId: 'tenant1', userId: '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c' });
    const policy = tenantSessionPolicy(caller, tables);

    // Act / Assess
    await expectAll(
      policy,
      [
        { action: 'dynamodb:Query', resource: ordersTable('tenant1') },
        {
          action: 'dynamodb:Query',
          resource: `${ordersTable('tenant1')}/index/byStatus`,
          leadingKeys: [caller.userId],
        },
      ],
      'ImplicitlyDenied',
    );
  });

  it('is what denies: without it the same role allows every request above', async () => {
    // Prepare
    const caller = tenantContext({ tenantId: 'tenant1', userId: '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c' });

    // Act
    const decisions = await Promise.all([
      decide(undefined, { action: 'dynamodb:Scan', resource: configTable }),
      decide(undefined, {
        action: 'dynamodb:GetItem',
        resource: ordersTable('tenant2'),
        leadingKeys: [caller.userId],
      }),
    ]);

    // Assess
    expect(decisions).toEqual(['Allowed', 'Allowed']);
  });

  it("combined with DESIGN section 5's role policy and the session tags, keeps the caller to its own keys", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ caller, otherTenantId, otherUserId }) => {
        // Prepare
        const policy = tenantSessionPolicy(caller, tables);
        const withRole = (request: Request) =>
          decide(policy, request, { rolePolicy: designRolePolicy, tags: caller });

        // Act
        const own = await withRole({
          action: 'dynamodb:Query',
          resource: ordersTable(caller.tenantId),
          leadingKeys: [caller.userId],
        });
        const otherUser = await withRole({
          action: 'dynamodb:Query',
          resource: ordersTable(caller.tenantId),
          leadingKeys: [otherUserId],
        });
        const otherTenant = await withRole({
          action: 'dynamodb:GetItem',
          resource: configTable,
          leadingKeys: [otherTenantId],
        });
        const scan = await withRole({ action: 'dynamodb:Scan', resource: ordersTable(caller.tenantId) });

        // Assess
        expect([own, otherUser, otherTenant, scan]).toEqual([
          'Allowed',
          'ImplicitlyDenied',
          'ImplicitlyDenied',
          'ImplicitlyDenied',
        ]);
      }),
      { numRuns: 10 },
    );
  });
});
