import { join } from 'node:path';
import { authorize, resolveIntrinsics, rolesFromCloudFormationTemplate } from '@tenant-assistant/local-stack';
import { type CfnTemplate, packageService } from '@tenant-assistant/testing';

// The agent-model resolver the framework runs at package time (CommonJS, no types).
const { parse, statementsFor, AgentModelError } = require('../config/agent-model.cjs') as {
  parse(value: unknown): { kind: string; value: string };
  statementsFor(model: ReturnType<typeof parse>): unknown[];
  AgentModelError: new (message: string) => Error;
};

/**
 * The agent's model as a stage parameter: a foundation-model id or an inference-profile id/ARN.
 * The agent's role, judged with IAM's evaluation logic (@cloud-copilot/iam-simulate), may invoke
 * exactly that: the model, or the profile and its underlying models only through the profile.
 */
jest.setTimeout(180_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const context = {
  accountId: ACCOUNT,
  region: REGION,
  stackName: 'tenant-assistant-order-action-group-dev',
  // The provisioning role's offboarding report goes to auth's control bus (imported).
  imports: {
    'tenant-assistant-auth-dev-ControlEventBusArn': `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/tenant-assistant-control-dev`,
  },
};
const PROFILE_ID = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const PROFILE_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${PROFILE_ID}`;
const UNDERLYING = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const modelArn = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;

const agentRole = (template: CfnTemplate) => {
  const roles = rolesFromCloudFormationTemplate(template as never, context);
  const role = Object.entries(roles).find(([arn]) => arn.endsWith('-BedrockAgentRole'))?.[1];
  if (!role) throw new Error('no BedrockAgentRole');
  return role;
};

const allowed = async (
  policies: { name: string; document: never }[] | ReturnType<typeof agentRole>['policies'],
  resource: string,
  profileArn?: string,
) =>
  (
    await authorize(
      {
        principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/BedrockAgentRole/agent`,
        action: 'bedrock:InvokeModel',
        resourceArn: resource,
        resourceAccountId: ACCOUNT,
        context: profileArn ? { 'bedrock:InferenceProfileArn': profileArn } : {},
      },
      { identityPolicies: policies },
    )
  ).allowed;

describe('agentModel parameter', () => {
  it.each([
    ['a foundation-model id', UNDERLYING, 'foundation-model'],
    ['a system inference-profile id', PROFILE_ID, 'inference-profile'],
    ['an inference-profile ARN', PROFILE_ARN, 'inference-profile'],
    [
      'an application inference-profile ARN',
      `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`,
      'application-inference-profile',
    ],
  ])('takes %s', (_name, value, kind) => {
    // Act / Assess
    expect(parse(value)).toMatchObject({ kind, value });
  });

  it.each([
    ['', /agentModel: set a foundation-model id/],
    ['arn:aws:iam::123456789012:role/x', /agentModel: .* is not an inference-profile ARN/],
    ['claude', /agentModel: claude is neither/],
  ])('refuses %p with a message naming the parameter', (value, message) => {
    // Act / Assess
    expect(() => parse(value)).toThrow(AgentModelError);
    expect(() => parse(value)).toThrow(message);
  });

  it('lets an application inference profile reach its models only through the profile', async () => {
    // Prepare
    const arn = `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;
    const document = resolveIntrinsics(
      { Version: '2012-10-17', Statement: statementsFor(parse(arn)) },
      context,
    ) as never;
    const policies = [{ name: 'agent', document }];

    // Act / Assess
    expect(await allowed(policies, arn)).toBe(true);
    expect(await allowed(policies, modelArn('us-west-2', UNDERLYING), arn)).toBe(true);
    expect(await allowed(policies, modelArn('us-west-2', UNDERLYING))).toBe(false);
    expect(await allowed(policies, modelArn(REGION, UNDERLYING), PROFILE_ARN)).toBe(false);
  });
});

describe('agent role as packaged', () => {
  let foundation: CfnTemplate;
  let profile: CfnTemplate;

  beforeAll(async () => {
    const serviceDir = join(__dirname, '..');
    [foundation, profile] = await Promise.all([
      packageService(serviceDir, { stage: 'dev' }),
      packageService(serviceDir, { stage: 'dev', params: { agentModel: PROFILE_ID } }),
    ]);
  });

  it('with a foundation-model id invokes that model in the region and nothing else', async () => {
    // Prepare
    const { policies } = agentRole(foundation);
    const chosen = 'anthropic.claude-3-haiku-20240307-v1:0';

    // Act / Assess
    expect(foundation.Resources.OrderAgent?.Properties?.FoundationModel).toBe(chosen);
    expect(await allowed(policies, modelArn(REGION, chosen))).toBe(true);
    expect(await allowed(policies, modelArn('us-west-2', chosen))).toBe(false);
    expect(await allowed(policies, modelArn(REGION, UNDERLYING))).toBe(false);
    expect(await allowed(policies, PROFILE_ARN)).toBe(false);
  });

  it('with an inference-profile id invokes the profile and its underlying model only through it', async () => {
    // Prepare
    const { policies } = agentRole(profile);

    // Act / Assess
    expect(profile.Resources.OrderAgent?.Properties?.FoundationModel).toBe(PROFILE_ID);
    expect(await allowed(policies, PROFILE_ARN)).toBe(true);
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2'])
      expect(await allowed(policies, modelArn(region, UNDERLYING), PROFILE_ARN)).toBe(true);
    expect(await allowed(policies, modelArn(REGION, UNDERLYING))).toBe(false);
    expect(
      await allowed(policies, modelArn(REGION, 'anthropic.claude-3-opus-20240229-v1:0'), PROFILE_ARN),
    ).toBe(false);
    expect(
      await allowed(policies, `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/eu.${UNDERLYING}`),
    ).toBe(false);
  });
});
