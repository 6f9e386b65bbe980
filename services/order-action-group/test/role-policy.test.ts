import { runSimulation } from '@cloud-copilot/iam-simulate';
import { resolveIntrinsics } from '@tenant-assistant/local-stack';
import { type CfnTemplate, packageService } from '@tenant-assistant/testing';
import { serviceDir } from './isolated-service';

// The policies exactly as written in the packaged template, intrinsics resolved for one account,
// judged by an IAM policy simulator with the session tags the agent-invoker sets.

const accountId = '123456789012';
const region = 'us-east-1';
const target = { accountId, region };
const service = 'tenant-assistant-order-action-group';
const tenantConfigArn = `arn:aws:dynamodb:${region}:${accountId}:table/${service}-dev-tenant-config`;
const ordersArn = (tenantId: string) =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${service}-dev-orders-${tenantId}`;
const roleArn = `arn:aws:iam::${accountId}:role/${service}-dev-data-access`;
const agentInvokerRoleArn = `arn:aws:iam::${accountId}:role/tenant-assistant-agent-invoker-dev-${region}`;
const user1 = '3f0d6c1e-8a4b-4c2d-9e7f-1a2b3c4d5e6f';
const user2 = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

type PolicyDocument = { Version: string; Statement: unknown[] };
type Role = {
  AssumeRolePolicyDocument: PolicyDocument;
  Policies: { PolicyName: string; PolicyDocument: PolicyDocument }[];
};

let role: Role;

beforeAll(async () => {
  const template: CfnTemplate = await packageService(serviceDir, { stage: 'dev' });
  role = resolveIntrinsics(template.Resources.TenantDataAccessRole?.Properties, {
    ...target,
    template,
  }) as Role;
}, 120_000);

const decide = async (request: {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  principal?: string;
}) => {
  const result = await runSimulation(
    {
      request: {
        principal:
          request.principal ?? `arn:aws:sts::${accountId}:assumed-role/${service}-dev-data-access/session`,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: request.context,
      },
      identityPolicies: role.Policies.map((policy) => ({
        name: policy.PolicyName,
        policy: policy.PolicyDocument,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
};

const tags = (tenantId: string, userId: string) => ({
  'aws:PrincipalTag/tenantId': tenantId,
  'aws:PrincipalTag/userId': userId,
});

describe('TenantDataAccessRole policy (iam-simulate)', () => {
  it('resolves to plain policy text with the principal-tag variables kept for IAM', () => {
    // Assess
    expect(JSON.stringify(role.Policies)).toContain(`\${aws:PrincipalTag/tenantId}`);
    expect(JSON.stringify(role.Policies)).toContain(
      `table/${service}-dev-orders-\${aws:PrincipalTag/tenantId}`,
    );
    expect(JSON.stringify(role.Policies)).not.toContain('Fn::');
  });

  it.each([
    ['GetItem', 'dynamodb:GetItem'],
    ['Query', 'dynamodb:Query'],
  ])("allows %s on its own tenant's TenantConfig item", async (_name, action) => {
    // Act
    const decision = await decide({
      action,
      resource: tenantConfigArn,
      context: { ...tags('tenant1', user1), 'dynamodb:LeadingKeys': ['tenant1'] },
    });

    // Assess
    expect(decision).toBe('Allowed');
  });

  it.each([
    ['GetItem', 'dynamodb:GetItem'],
    ['Query', 'dynamodb:Query'],
  ])("allows %s on its own user's partition of its own tenant's orders table", async (_name, action) => {
    // Act
    const decision = await decide({
      action,
      resource: ordersArn('tenant1'),
      context: { ...tags('tenant1', user1), 'dynamodb:LeadingKeys': [user1] },
    });

    // Assess
    expect(decision).toBe('Allowed');
  });

  it.each([
    ["another tenant's TenantConfig item", 'dynamodb:GetItem', tenantConfigArn, ['tenant2']],
    ['its own and another tenant’s items at once', 'dynamodb:Query', tenantConfigArn, ['tenant1', 'tenant2']],
    ["another tenant's orders table", 'dynamodb:Query', ordersArn('tenant2'), [user1]],
    ["another user's orders", 'dynamodb:GetItem', ordersArn('tenant1'), [user2]],
    ["another user's orders by Query", 'dynamodb:Query', ordersArn('tenant1'), [user2]],
    ['a user id used as the tenant key', 'dynamodb:GetItem', tenantConfigArn, [user1]],
    ['a tenant id used as the user key', 'dynamodb:GetItem', ordersArn('tenant1'), ['tenant1']],
    ['an index of its own orders table', 'dynamodb:Query', `${ordersArn('tenant1')}/index/byStatus`, [user1]],
  ])('denies reading %s', async (_name, action, resource, leadingKeys) => {
    // Act
    const decision = await decide({
      action,
      resource,
      context: { ...tags('tenant1', user1), 'dynamodb:LeadingKeys': leadingKeys },
    });

    // Assess
    expect(decision).not.toBe('Allowed');
  });

  it.each([
    ['TenantConfig', tenantConfigArn],
    ['its own orders table', ordersArn('tenant1')],
  ])('denies Scan on %s (it carries no leading key)', async (_name, resource) => {
    // Act
    const decision = await decide({ action: 'dynamodb:Scan', resource, context: tags('tenant1', user1) });

    // Assess
    expect(decision).not.toBe('Allowed');
  });

  it.each([
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:BatchGetItem',
    'dynamodb:PartiQLSelect',
    'dynamodb:DeleteTable',
  ])('denies %s on its own orders partition', async (action) => {
    // Act
    const decision = await decide({
      action,
      resource: ordersArn('tenant1'),
      context: { ...tags('tenant1', user1), 'dynamodb:LeadingKeys': [user1] },
    });

    // Assess
    expect(decision).not.toBe('Allowed');
  });

  it('denies everything to a session without tags', async () => {
    // Act
    const decisions = await Promise.all([
      decide({
        action: 'dynamodb:GetItem',
        resource: tenantConfigArn,
        context: { 'dynamodb:LeadingKeys': ['tenant1'] },
      }),
      decide({
        action: 'dynamodb:Query',
        resource: ordersArn('tenant1'),
        context: { 'dynamodb:LeadingKeys': [user1] },
      }),
    ]);

    // Assess
    expect(decisions).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});

describe('TenantDataAccessRole trust policy (iam-simulate)', () => {
  const assume = async (opts: {
    action?: string;
    principal?: string;
    requestTags: Record<string, string>;
  }) => {
    const result = await runSimulation(
      {
        request: {
          principal: opts.principal ?? agentInvokerRoleArn,
          action: opts.action ?? 'sts:AssumeRole',
          resource: { resource: roleArn, accountId },
          contextVariables: {
            'aws:PrincipalArn': opts.principal ?? agentInvokerRoleArn,
            ...Object.fromEntries(
              Object.entries(opts.requestTags).map(([k, v]) => [`aws:RequestTag/${k}`, v]),
            ),
            'aws:TagKeys': Object.keys(opts.requestTags),
          },
        },
        // The agent-invoker's own policy allows the call; the trust policy decides.
        identityPolicies: [
          {
            name: 'agent-invoker',
            policy: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: roleArn },
              ],
            },
          },
        ],
        resourcePolicy: role.AssumeRolePolicyDocument,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
  };

  it.each(['sts:AssumeRole', 'sts:TagSession'])(
    'allows %s by the agent-invoker role with both tenantId and userId tags',
    async (action) => {
      // Act
      const decision = await assume({ action, requestTags: { tenantId: 'tenant1', userId: user1 } });

      // Assess
      expect(decision).toBe('Allowed');
    },
  );

  it.each([
    ['no tags', {}],
    ['only tenantId', { tenantId: 'tenant1' }],
    ['only userId', { userId: user1 }],
    ['a userId that is not a Cognito sub', { tenantId: 'tenant1', userId: 'admin' }],
    ['a one-character tenantId', { tenantId: 'a', userId: user1 }],
    ['an extra tag', { tenantId: 'tenant1', userId: user1, role: 'admin' }],
  ])('denies AssumeRole and TagSession with %s', async (_name, requestTags: Record<string, string>) => {
    // Act
    const decisions = await Promise.all(
      ['sts:AssumeRole', 'sts:TagSession'].map((action) => assume({ action, requestTags })),
    );

    // Assess
    expect(decisions).not.toContain('Allowed');
  });

  it('denies any other principal of the account, even with both tags', async () => {
    // Act
    const decision = await assume({
      principal: `arn:aws:iam::${accountId}:role/tenant-assistant-chat-api-dev-${region}-lambdaRole`,
      requestTags: { tenantId: 'tenant1', userId: user1 },
    });

    // Assess
    expect(decision).not.toBe('Allowed');
  });
});
