import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  eventBusPoliciesFromTemplate,
  functionRolesFromTemplate,
  type LocalEventBridge,
  type LocalSts,
  rolesFromCloudFormationTemplate,
  startLocalEventBridge,
  startLocalSts,
} from '../src';

/**
 * The EventBridge stand-in with IAM: SigV4 verified, each entry judged against the caller's role
 * and the bus policy as a packaged template declares them, refusals reported per entry.
 */
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const BUS = 'tenant-assistant-test';
const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${BUS}`;
const lambdaTrust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const role = (name: string, statements: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: name,
    AssumeRolePolicyDocument: lambdaTrust,
    Policies: [{ PolicyName: 'own', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
  },
});
const putOwn = (source: string, detailTypes: string[]) => ({
  Effect: 'Allow',
  Action: 'events:PutEvents',
  Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] },
  Condition: {
    'ForAllValues:StringEquals': { 'events:source': [source], 'events:detail-type': detailTypes },
  },
});
const fn = (name: string, roleId: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: name, Role: { 'Fn::GetAtt': [roleId, 'Arn'] } },
});

/** A packaged template in miniature: a bus whose policy binds each source to its producer. */
const template = {
  Resources: {
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: BUS } },
    ProducerRole: role('producer-role', [putOwn('test.producer', ['Produced'])]),
    PlainOperatorRole: role('plain-operator-role', [
      {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] },
        Condition: { StringEquals: { 'events:source': 'test.producer', 'events:detail-type': 'Produced' } },
      },
    ]),
    IntruderRole: role('intruder-role', [
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] } },
    ]),
    NothingRole: role('nothing-role', [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }]),
    BusPolicy: {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        StatementId: 'OnlyTheProducerPutsItsSource',
        Statement: {
          Effect: 'Deny',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] },
          Condition: {
            'ForAnyValue:StringEquals': { 'events:source': ['test.producer'] },
            ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/producer-role` },
          },
        },
      },
    },
    ProducerFunction: fn('producer', 'ProducerRole'),
    PlainOperatorFunction: fn('plain-operator', 'PlainOperatorRole'),
    IntruderFunction: fn('intruder', 'IntruderRole'),
    NothingFunction: fn('nothing', 'NothingRole'),
  },
};

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: BUS,
  Source: 'test.producer',
  DetailType: 'Produced',
  Detail: JSON.stringify({ n: 1 }),
  ...overrides,
});

describe('startLocalEventBridge with IAM', () => {
  const ctx = { accountId: ACCOUNT, region: REGION, stackName: 'test' };
  const roles = rolesFromCloudFormationTemplate(template, ctx);
  let sts: LocalSts;
  let bus: LocalEventBridge;
  const clients: Record<string, EventBridgeClient> = {};

  beforeAll(async () => {
    sts = await startLocalSts({ port: 0, roles, requireKnownCallers: true });
    bus = await startLocalEventBridge({
      port: 0,
      rules: [],
      buses: [BUS],
      invoke: async () => undefined,
      iam: {
        sessions: sts.sessions,
        roles,
        busPolicies: eventBusPoliciesFromTemplate(template, ctx),
        admins: [{ accessKeyId: 'LOCALADMIN', secretAccessKey: 'admin-secret' }],
      },
    });
    for (const { functionName, roleArn } of functionRolesFromTemplate(template, ctx)) {
      const session = await sts.issueServiceSession({ roleArn, roleSessionName: functionName });
      clients[functionName] = new EventBridgeClient({
        endpoint: bus.url,
        region: REGION,
        credentials: session,
        maxAttempts: 1,
      });
    }
  });

  afterAll(async () => {
    for (const client of Object.values(clients)) client.destroy();
    await bus.close();
    await sts.close();
  });

  const put = (client: string | EventBridgeClient, entries: PutEventsRequestEntry[]) =>
    (typeof client === 'string' ? (clients[client] as EventBridgeClient) : client).send(
      new PutEventsCommand({ Entries: entries }),
    );

  it('accepts the producer’s own source and detail-type', async () => {
    // Act
    const result = await put('producer', [entry()]);

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(bus.published()).toHaveLength(1);
  });

  it('refuses the producer’s other detail-types per entry and keeps the allowed ones', async () => {
    // Act
    const result = await put('producer', [entry(), entry({ DetailType: 'Forged' }), entry()]);

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toBeDefined();
    expect(result.Entries?.[1]).toEqual({
      ErrorCode: 'NotAuthorizedForDetailTypeException',
      ErrorMessage: 'Not authorized for the detail type.',
    });
    expect(result.Entries?.[2]?.EventId).toBeDefined();
  });

  it('refuses another source of the producer with NotAuthorizedForSourceException', async () => {
    // Act
    const result = await put('producer', [entry({ Source: 'test.other' })]);

    // Assess
    expect(result.Entries?.[0]?.ErrorCode).toBe('NotAuthorizedForSourceException');
  });

  it('denies a role whose own policy allows every entry when the bus policy binds the source to its producer', async () => {
    // Act
    const result = await put('intruder', [entry(), entry({ Source: 'test.intruder' })]);

    // Assess: the bus policy's explicit deny applies to the producer's source only.
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.ErrorCode).toBe('NotAuthorizedForSourceException');
    expect(result.Entries?.[1]?.EventId).toBeDefined();
  });

  it('never matches a plain StringEquals over the multivalued events:source key', async () => {
    // Act
    const result = await put('plain-operator', [entry()]);

    // Assess
    expect(result.Entries?.[0]?.ErrorCode).toBe('AccessDeniedException');
  });

  it('refuses a role without events:PutEvents with AccessDeniedException naming the action', async () => {
    // Act
    const result = await put('nothing', [entry()]);

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.ErrorCode).toBe('AccessDeniedException');
    expect(result.Entries?.[0]?.ErrorMessage).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${ACCOUNT}:assumed-role/nothing-role/nothing is not authorized to perform: events:PutEvents on resource: ${BUS_ARN}`,
      ),
    );
  });

  it('lets the admin key through unevaluated (dev tools)', async () => {
    // Prepare
    const admin = new EventBridgeClient({
      endpoint: bus.url,
      region: REGION,
      credentials: { accessKeyId: 'LOCALADMIN', secretAccessKey: 'admin-secret' },
      maxAttempts: 1,
    });

    // Act
    const result = await put(admin, [entry({ Source: 'anything' })]);

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    admin.destroy();
  });

  it.each([
    ['an unknown key', { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }, 'UnrecognizedClientException'],
    ['a wrong secret', { accessKeyId: 'LOCALADMIN', secretAccessKey: 'wrong' }, 'InvalidSignatureException'],
  ])('refuses a request signed with %s as AWS does', async (_name, credentials, code) => {
    // Prepare
    const client = new EventBridgeClient({ endpoint: bus.url, region: REGION, credentials, maxAttempts: 1 });
    const before = bus.published().length;

    // Act
    const error = await put(client, [entry()]).then(
      () => undefined,
      (e: Error) => e,
    );

    // Assess
    expect(error?.name).toBe(code);
    expect(bus.published()).toHaveLength(before);
    client.destroy();
  });

  it('refuses an unsigned request with MissingAuthenticationTokenException', async () => {
    // Act
    const response = await fetch(bus.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ Entries: [entry()] }),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });
});
