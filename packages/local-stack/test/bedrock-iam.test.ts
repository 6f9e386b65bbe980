import { BedrockAgentRuntimeClient, InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import {
  type LocalBedrockAgent,
  type LocalSts,
  rolesFromCloudFormationTemplate,
  startLocalBedrockAgent,
  startLocalSts,
} from '../src';

/** The Bedrock Agent Runtime stand-in with IAM: each InvokeAgent judged against the caller's role. */
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const role = (name: string, resource: string) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: name,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    },
    Policies: [
      {
        PolicyName: 'own',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeAgent', Resource: resource }],
        },
      },
    ],
  },
});
const template = {
  Resources: {
    InvokerRole: role('invoker', `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent-alias/AGENTONE01/ALIASONE01`),
    OtherAliasRole: role(
      'other-alias',
      `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent-alias/AGENTONE01/ALIASTWO02`,
    ),
  },
};

describe('startLocalBedrockAgent with IAM', () => {
  const roles = rolesFromCloudFormationTemplate(template, { accountId: ACCOUNT, region: REGION });
  let sts: LocalSts;
  let agent: LocalBedrockAgent;

  beforeAll(async () => {
    sts = await startLocalSts({ port: 0, roles, requireKnownCallers: true });
    agent = await startLocalBedrockAgent({
      port: 0,
      agents: { AGENTONE01: { aliases: ['ALIASONE01', 'ALIASTWO02'] } },
      invokeActionGroup: async () => {
        throw new Error('not used');
      },
      iam: { sessions: sts.sessions, roles },
    });
  });

  afterAll(async () => {
    await agent.close();
    await sts.close();
  });

  const invoke = async (credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }) => {
    const client = new BedrockAgentRuntimeClient({
      endpoint: agent.url,
      region: REGION,
      credentials,
      maxAttempts: 1,
    });
    try {
      const response = await client.send(
        new InvokeAgentCommand({
          agentId: 'AGENTONE01',
          agentAliasId: 'ALIASONE01',
          sessionId: 'session-1',
          inputText: 'hello',
        }),
      );
      let text = '';
      for await (const event of response.completion ?? [])
        text += new TextDecoder().decode(event.chunk?.bytes);
      return text;
    } finally {
      client.destroy();
    }
  };
  const session = (roleName: string) =>
    sts.issueServiceSession({
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
      roleSessionName: roleName,
    });

  it('answers a role allowed bedrock:InvokeAgent on the alias', async () => {
    // Act
    const text = await invoke(await session('invoker'));

    // Assess
    expect(text.length).toBeGreaterThan(0);
  });

  it('refuses a role allowed another alias only with AccessDeniedException naming the action', async () => {
    // Act
    const error = await invoke(await session('other-alias')).then(
      () => undefined,
      (e: Error) => e,
    );

    // Assess
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.message).toContain(
      `assumed-role/other-alias/other-alias is not authorized to perform: bedrock:InvokeAgent on resource: arn:aws:bedrock:${REGION}:${ACCOUNT}:agent-alias/AGENTONE01/ALIASONE01`,
    );
  });

  it('refuses an unknown key as AWS does', async () => {
    // Act
    const error = await invoke({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }).then(
      () => undefined,
      (e: Error) => e,
    );

    // Assess
    expect(error?.name).toBe('UnrecognizedClientException');
  });
});
