import { join } from 'node:path';
import { DETAIL_TYPES, EVENT_PRODUCERS, EVENT_SOURCES } from '@tenant-assistant/contracts/events';
import {
  authorize,
  type CloudFormationTemplate,
  eventBusPoliciesFromTemplate,
  type NamedPolicy,
  type PolicyDocument,
  resolveIntrinsics,
  rolesFromCloudFormationTemplate,
} from '@tenant-assistant/local-stack';
import { packageServices, webAddressParams } from '@tenant-assistant/testing';

// Both event buses' resource policies and every role of the project, exactly as packaged (dev stage),
// judged by an IAM policy simulator: each contract entry is allowed to its producer's role only, on its
// own bus; every other role of the project and an unrelated role allowed `events:PutEvents` on `*` are
// denied each entry that is not theirs — including a foreign source carrying a contract detail-type.

jest.setTimeout(240_000);

const accountId = '123456789012';
const region = 'us-east-1';
const stage = 'dev';
const SERVICES = ['auth', 'order-action-group', 'chat-api', 'agent-invoker'] as const; // deploy order
const servicesDir = join(__dirname, '..', '..', '..', 'services');

/** Control-plane detail-types the control bus reserves (the contract adds their schemas as they come). */
const CONTROL_DETAIL_TYPES = [
  DETAIL_TYPES.TenantOnboarded,
  'TenantUpdated',
  'TenantSuspended',
  'TenantResumed',
  'TenantOffboarded',
  DETAIL_TYPES.TenantChatDataDeleted,
  DETAIL_TYPES.TenantOrderDataDeleted,
];

interface Role {
  arn: string;
  service: string;
  policies: NamedPolicy[];
}

const roles: Role[] = [];
const busPolicies: Record<'data' | 'control', { arn: string; policy: PolicyDocument | undefined }> = {
  data: { arn: '', policy: undefined },
  control: { arn: '', policy: undefined },
};
const unrelatedRole: Role = {
  arn: `arn:aws:iam::${accountId}:role/some-other-application`,
  service: 'unrelated',
  policies: [
    {
      name: 'put-anything',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'events:*', Resource: '*' }],
      },
    },
  ],
};

/** Resolves every exported output of a template (those that resolve offline) into `imports`. */
const addExports = (
  template: CloudFormationTemplate,
  stackName: string,
  imports: Record<string, unknown>,
) => {
  for (const output of Object.values(template.Outputs ?? {}) as {
    Value: unknown;
    Export?: { Name: unknown };
  }[]) {
    const context = { accountId, region, stackName, imports, template };
    const name = resolveIntrinsics(output.Export?.Name, context);
    if (typeof name !== 'string') continue;
    try {
      imports[name] = resolveIntrinsics(output.Value, context);
    } catch {
      // A value only CloudFormation knows (a generated id): a stand-in string of the same role.
      imports[name] = `placeholder-${name}`;
    }
  }
};

const DERIVABLE_ARNS = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::ManagedPolicy',
  'AWS::DynamoDB::Table',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Lambda::Function',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::S3::Bucket',
]);
/** Stand-in ARNs for resources whose ARN the resolver cannot derive (a user pool's id is generated). */
const placeholderArns = (template: CloudFormationTemplate) =>
  Object.fromEntries(
    Object.entries(template.Resources ?? {})
      .filter(([, resource]) => resource && !DERIVABLE_ARNS.has(resource.Type))
      .map(([logicalId]) => [`${logicalId}.Arn`, `arn:aws:placeholder:${region}:${accountId}:${logicalId}`]),
  );

/** The resource policy of the template's event bus `logicalId`, as packaged, and the bus's ARN. */
const busOf = (template: CloudFormationTemplate, logicalId: string, context: object) => {
  const bus = template.Resources?.[logicalId];
  if (bus?.Type !== 'AWS::Events::EventBus') throw new Error(`${logicalId} is not an event bus`);
  const name = resolveIntrinsics(bus.Properties?.Name, { ...context, template });
  if (typeof name !== 'string') throw new Error(`${logicalId} has no resolvable Name`);
  return {
    arn: `arn:aws:events:${region}:${accountId}:event-bus/${name}`,
    policy: eventBusPoliciesFromTemplate(template, context)[name],
  };
};

beforeAll(async () => {
  const stacks = await packageServices(servicesDir, SERVICES, { stage, params: webAddressParams });
  const imports: Record<string, unknown> = {};
  for (const { service, stack: stackName, template: packaged } of stacks) {
    const template = packaged as CloudFormationTemplate;
    const context = {
      accountId,
      region,
      stackName,
      imports,
      template,
      attributes: placeholderArns(template),
    };
    for (const [arn, definition] of Object.entries(rolesFromCloudFormationTemplate(template, context))) {
      roles.push({ arn, service, policies: definition.policies });
    }
    if (service === 'chat-api') busPolicies.data = busOf(template, 'EventBus', context);
    if (service === 'auth') busPolicies.control = busOf(template, 'ControlEventBus', context);
    addExports(template, stackName, imports);
  }
});

const roleArn = (service: string, name: string) => {
  const role = roles.find((candidate) => candidate.service === service && candidate.arn.endsWith(`/${name}`));
  if (!role) throw new Error(`No role ${name} in ${service}: ${roles.map((r) => r.arn).join(', ')}`);
  return role.arn;
};

/** The roles allowed to put each detail-type, and the bus it goes to. */
const producers = (): Record<string, { bus: 'data' | 'control'; roles: string[] }> => {
  const submitPrompt = roleArn('chat-api', `tenant-assistant-chat-api-${stage}-submitPrompt`);
  const answers = roleArn('agent-invoker', `tenant-assistant-agent-invoker-${stage}-${region}`);
  const onboard = roleArn('auth', `tenant-assistant-auth-${stage}-OnboardTenantRole`);
  const tenantsAdmin = roleArn('auth', `tenant-assistant-auth-${stage}-TenantsAdminRole`);
  const chatOffboarding = roleArn('chat-api', `tenant-assistant-chat-api-${stage}-offboardTenant`);
  const provisionTenant = roleArn(
    'order-action-group',
    `tenant-assistant-order-action-group-${stage}-provisionTenant`,
  );
  return {
    [DETAIL_TYPES.PromptSubmitted]: { bus: 'data', roles: [submitPrompt] },
    [DETAIL_TYPES.AnswerChunk]: { bus: 'data', roles: [answers] },
    [DETAIL_TYPES.AnswerCompleted]: { bus: 'data', roles: [answers] },
    [DETAIL_TYPES.AnswerFailed]: { bus: 'data', roles: [answers] },
    [DETAIL_TYPES.TenantOnboarded]: { bus: 'control', roles: [onboard, tenantsAdmin] },
    [DETAIL_TYPES.TenantUpdated]: { bus: 'control', roles: [tenantsAdmin] },
    [DETAIL_TYPES.TenantSuspended]: { bus: 'control', roles: [tenantsAdmin] },
    [DETAIL_TYPES.TenantResumed]: { bus: 'control', roles: [tenantsAdmin] },
    [DETAIL_TYPES.TenantOffboarded]: { bus: 'control', roles: [tenantsAdmin] },
    // Each service's offboarding report: its own source, only from the role that deletes its data.
    [DETAIL_TYPES.TenantChatDataDeleted]: { bus: 'control', roles: [chatOffboarding] },
    [DETAIL_TYPES.TenantOrderDataDeleted]: { bus: 'control', roles: [provisionTenant] },
  };
};

type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** IAM's decision on one PutEvents entry of `role` (as one of its sessions) on `bus`. */
const decide = async (
  role: Role,
  bus: 'data' | 'control',
  source: string,
  detailType: string,
  withBusPolicy = true,
): Promise<Decision> => {
  const { arn, policy } = busPolicies[bus];
  const decision = await authorize(
    {
      principalArn: `${role.arn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/fn`,
      action: 'events:PutEvents',
      resourceArn: arn,
      resourceAccountId: accountId,
      context: {
        'aws:PrincipalArn': role.arn,
        'events:source': [source],
        'events:detail-type': [detailType],
      },
    },
    { identityPolicies: role.policies, ...(withBusPolicy && policy ? { resourcePolicy: policy } : {}) },
  );
  if (decision.allowed) return 'Allowed';
  if (decision.reason === 'evaluation-error') throw new Error(decision.message);
  return decision.reason.startsWith('explicit-deny') ? 'ExplicitlyDenied' : 'ImplicitlyDenied';
};

const SOURCES = [...Object.values(EVENT_SOURCES), 'tenant-assistant.attacker'];
const ALL_DETAIL_TYPES = [...new Set([...Object.values(DETAIL_TYPES), ...CONTROL_DETAIL_TYPES])];

describe('event bus policies (iam-simulate over the packaged templates)', () => {
  it('finds the project roles and a policy on both buses', () => {
    // Assess
    expect(roles.length).toBeGreaterThanOrEqual(10);
    expect(busPolicies.data.policy).toBeDefined();
    expect(busPolicies.control.policy).toBeDefined();
  });

  it('allows each producer its own entries on its own bus', async () => {
    // Prepare
    const byArn = new Map(roles.map((role) => [role.arn, role]));

    // Act
    const pairs = Object.entries(producers()).flatMap(([detailType, producer]) =>
      producer.roles.map((role) => ({ detailType, role, bus: producer.bus })),
    );
    const decisions = await Promise.all(
      pairs.map(async ({ detailType, role, bus }) => [
        `${detailType} ${role}`,
        await decide(
          byArn.get(role) as Role,
          bus,
          EVENT_PRODUCERS[detailType as keyof typeof EVENT_PRODUCERS],
          detailType,
        ),
      ]),
    );

    // Assess
    expect(Object.fromEntries(decisions)).toEqual(
      Object.fromEntries(pairs.map(({ detailType, role }) => [`${detailType} ${role}`, 'Allowed'])),
    );
  });

  it('denies every other role of the project and an unrelated role each entry that is not theirs, on both buses', async () => {
    // Prepare
    const expected = producers();
    const cases = [...roles, unrelatedRole].flatMap((role) =>
      (['data', 'control'] as const).flatMap((bus) =>
        SOURCES.flatMap((source) =>
          ALL_DETAIL_TYPES.map((detailType) => ({ role, bus, source, detailType })),
        ),
      ),
    );
    const isOwn = (c: (typeof cases)[number]) =>
      (expected[c.detailType]?.roles.includes(c.role.arn) ?? false) &&
      expected[c.detailType]?.bus === c.bus &&
      EVENT_PRODUCERS[c.detailType as keyof typeof EVENT_PRODUCERS] === c.source;

    // Act
    const allowed: string[] = [];
    for (const c of cases.filter((candidate) => !isOwn(candidate))) {
      if ((await decide(c.role, c.bus, c.source, c.detailType)) === 'Allowed') {
        allowed.push(`${c.role.arn} ${c.bus} ${c.source} ${c.detailType}`);
      }
    }

    // Assess
    expect(cases.length).toBeGreaterThan(500);
    expect(allowed).toEqual([]);
  });

  it('allows each producer, by its own policy alone, nothing but its own entries', async () => {
    // Prepare
    const expected = producers();
    const producerRoles = roles.filter((role) =>
      Object.values(expected).some((p) => p.roles.includes(role.arn)),
    );

    // Act
    const allowed: string[] = [];
    for (const role of producerRoles) {
      for (const bus of ['data', 'control'] as const) {
        for (const source of SOURCES) {
          for (const detailType of ALL_DETAIL_TYPES) {
            const own =
              (expected[detailType]?.roles.includes(role.arn) ?? false) &&
              expected[detailType]?.bus === bus &&
              EVENT_PRODUCERS[detailType as keyof typeof EVENT_PRODUCERS] === source;
            if (!own && (await decide(role, bus, source, detailType, false)) === 'Allowed') {
              allowed.push(`${role.arn} ${bus} ${source} ${detailType}`);
            }
          }
        }
      }
    }

    // Assess
    expect(producerRoles).toHaveLength(6);
    expect(allowed).toEqual([]);
  });

  it('denies the unrelated role by the bus policies alone (its own policy allows every entry)', async () => {
    // Act
    const withoutBusPolicy = await decide(
      unrelatedRole,
      'data',
      EVENT_SOURCES.agentInvoker,
      DETAIL_TYPES.AnswerCompleted,
      false,
    );
    const withBusPolicy = await Promise.all(
      Object.entries(producers()).map(([detailType, { bus }]) =>
        decide(unrelatedRole, bus, EVENT_PRODUCERS[detailType as keyof typeof EVENT_PRODUCERS], detailType),
      ),
    );
    const foreignSource = await decide(
      unrelatedRole,
      'data',
      'tenant-assistant.attacker',
      DETAIL_TYPES.AnswerCompleted,
    );

    // Assess
    expect(withoutBusPolicy).toBe('Allowed');
    expect(new Set(withBusPolicy)).toEqual(new Set(['ExplicitlyDenied']));
    expect(foreignSource).toBe('ExplicitlyDenied');
  });

  it('denies a producer an entry of another producer even where its own policy is the only guard', async () => {
    // Prepare
    const byArn = new Map(roles.map((role) => [role.arn, role]));
    const answers = byArn.get(producers().AnswerCompleted?.roles[0] as string) as Role;

    // Act
    const promptByAnswerer = await decide(
      answers,
      'data',
      EVENT_SOURCES.chatApi,
      DETAIL_TYPES.PromptSubmitted,
      false,
    );
    const promptByAnswererWithPolicy = await decide(
      answers,
      'data',
      EVENT_SOURCES.chatApi,
      DETAIL_TYPES.PromptSubmitted,
    );

    // Assess
    expect(promptByAnswerer).toBe('ImplicitlyDenied');
    expect(promptByAnswererWithPolicy).toBe('ExplicitlyDenied');
  });
});
