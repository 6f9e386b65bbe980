import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PutEventsFailedError } from '@tenant-assistant/tenant-context';
import { captureOutput, lambdaContext } from '@tenant-assistant/testing';
import { awsError, expectInvalidInput, rejectionOf, silentLogger, tenantRecord } from '../../../test/support';
import { cognitoMock, documentsMock, eventBridgeMock, resetMocks } from '../../../test/support/mocks';
import {
  CognitoRequestError,
  ConfigurationError,
  InvalidInputError,
  TenantConflictError,
} from '../../errors';
import { handler, makeHandler } from './handler';

const userPoolId = 'us-east-1_AbCdEf123';
const eventBusName = 'tenant-assistant-control-test';
const tenantsTableName = 'tenant-assistant-auth-test-tenants';
const acme = { tenantId: 'acme', name: 'Acme Corp', returnPolicyDays: 30, tier: 'standard' } as const;

const run = makeHandler({
  cognito: new CognitoIdentityProviderClient({ region: 'us-east-1' }),
  eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
  documents: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  config: () => ({ userPoolId, eventBusName, tenantsTableName }),
  logger: silentLogger(),
});

const groupNotFound = () => awsError('ResourceNotFoundException', 'Group not found.');
const alreadyStored = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const publishedDetails = () =>
  eventBridgeMock
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => ({ ...entry, Detail: JSON.parse(entry.Detail ?? 'null') as unknown }));

beforeEach(() => {
  resetMocks();
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  documentsMock.on(PutCommand).resolves({});
  cognitoMock.on(GetGroupCommand).rejects(groupNotFound());
  cognitoMock.on(CreateGroupCommand).resolves({});
});

describe('onboardTenant', () => {
  it('stores the tenant ACTIVE, creates its user and admin groups and publishes TenantOnboarded', async () => {
    // Act
    const result = await run(acme);

    // Assess
    expect(result).toEqual({ tenant: acme, groupName: 'tenant-acme', created: true });
    expect(documentsMock.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: tenantsTableName,
      Item: { ...acme, status: 'ACTIVE' },
      ConditionExpression: 'attribute_not_exists(tenantId)',
    });
    expect(cognitoMock.commandCalls(CreateGroupCommand).map((call) => call.args[0].input.GroupName)).toEqual([
      'tenant-acme',
      'admin-acme',
    ]);
    expect(publishedDetails()).toEqual([
      {
        EventBusName: eventBusName,
        Source: 'tenant-assistant.auth',
        DetailType: 'TenantOnboarded',
        Detail: acme,
      },
    ]);
  });

  it('trims the name before storing and publishing it', async () => {
    // Act
    await run({ ...acme, name: '  Acme Corp ' });

    // Assess
    expect(documentsMock.commandCalls(PutCommand)[0]?.args[0].input.Item?.name).toBe('Acme Corp');
    expect(publishedDetails()[0]?.Detail).toEqual(acme);
  });

  it('succeeds on the same request again without creating anything, and publishes the event again', async () => {
    // Prepare
    documentsMock.on(PutCommand).rejects(alreadyStored());
    documentsMock.on(GetCommand).resolves({ Item: tenantRecord('acme', acme as never) });
    cognitoMock.on(GetGroupCommand).resolves({ Group: { GroupName: 'tenant-acme' } });

    // Act
    const result = await run({ tier: 'standard', returnPolicyDays: 30, name: 'Acme Corp', tenantId: 'acme' });

    // Assess
    expect(result.created).toBe(false);
    expect(cognitoMock.commandCalls(CreateGroupCommand)).toHaveLength(0);
    expect(publishedDetails().map((entry) => entry.Detail)).toEqual([acme]);
  });

  it('refuses a conflicting repeat, naming what differs, and publishes nothing', async () => {
    // Prepare
    documentsMock.on(PutCommand).rejects(alreadyStored());
    documentsMock.on(GetCommand).resolves({ Item: tenantRecord('acme', acme as never) });

    // Act
    const error = await rejectionOf(run({ ...acme, returnPolicyDays: 10, tier: 'premium' }));

    // Assess
    expect(error).toBeInstanceOf(TenantConflictError);
    expect((error as TenantConflictError).statusCode).toBe(409);
    expect(error.message).toBe(
      'Tenant acme is already onboarded with a different definition: returnPolicyDays 30 (requested 10), tier "standard" (requested "premium")',
    );
    expect(cognitoMock.commandCalls(CreateGroupCommand)).toHaveLength(0);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('accepts a group that a concurrent onboarding created first', async () => {
    // Prepare
    cognitoMock
      .on(CreateGroupCommand)
      .rejects(awsError('GroupExistsException', 'A group with the name already exists.'));

    // Act
    const result = await run(acme);

    // Assess
    expect(result.created).toBe(true);
    expect(publishedDetails()).toHaveLength(1);
  });

  it.each([
    ['a wildcard tenant id', { ...acme, tenantId: '*' }, 'tenantId: must match ^[a-z0-9][a-z0-9-]{1,62}$'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal policy variable the input must refuse
    ['a policy-variable tenant id', { ...acme, tenantId: '${aws:username}' }, 'tenantId: must match'],
    ['an uppercase tenant id', { ...acme, tenantId: 'Acme' }, 'tenantId: must match'],
    ['a missing name', { tenantId: 'acme', returnPolicyDays: 30, tier: 'standard' }, 'name:'],
    ['a blank name', { ...acme, name: '   ' }, 'name:'],
    ['a negative return policy', { ...acme, returnPolicyDays: -1 }, 'returnPolicyDays:'],
    ['a fractional return policy', { ...acme, returnPolicyDays: 1.5 }, 'returnPolicyDays:'],
    ['a return policy given as text', { ...acme, returnPolicyDays: '30' }, 'returnPolicyDays:'],
    ['an unknown tier', { ...acme, tier: 'platinum' }, 'tier:'],
    ['an unknown field', { ...acme, returnPolicy: 30 }, 'Unrecognized key'],
    ['no object at all', 'acme', '(input):'],
    ['null', null, '(input):'],
  ])('refuses %s before touching Cognito or EventBridge', async (_, input, issue) => {
    // Act
    const error = await rejectionOf(run(input));

    // Assess
    expectInvalidInput(error, 'onboardTenant', issue);
    expect(cognitoMock.calls()).toHaveLength(0);
    expect(documentsMock.calls()).toHaveLength(0);
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });

  it('fails with PutEventsFailedError when EventBridge rejects the event (a retry publishes again)', async () => {
    // Prepare
    eventBridgeMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });

    // Act
    const error = await rejectionOf(run(acme));

    // Assess
    expect(error).toBeInstanceOf(PutEventsFailedError);
  });

  it('reports an unexpected Cognito failure as CognitoRequestError with its cause', async () => {
    // Prepare
    const cause = awsError('TooManyRequestsException', 'Rate exceeded');
    cognitoMock.on(GetGroupCommand).rejects(cause);

    // Act
    const error = await rejectionOf(run(acme));

    // Assess
    expect(error).toBeInstanceOf(CognitoRequestError);
    expect(error.message).toBe('Cognito GetGroup failed (TooManyRequestsException: Rate exceeded)');
    expect(error.cause).toBe(cause);
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });

  it('reports a CreateGroup failure as CognitoRequestError and publishes nothing', async () => {
    // Prepare
    cognitoMock.on(CreateGroupCommand).rejects(awsError('AccessDeniedException'));

    // Act
    const error = await rejectionOf(run(acme));

    // Assess
    expect(error.message).toContain('Cognito CreateGroup failed (AccessDeniedException');
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });
});

describe('onboardTenant deployed handler', () => {
  const env = { ...process.env };
  beforeEach(() => {
    process.env.COGNITO_USER_POOL_ID = userPoolId;
    process.env.EVENT_BUS_NAME = eventBusName;
    process.env.TENANTS_TABLE_NAME = tenantsTableName;
  });
  afterEach(() => {
    process.env = { ...env };
  });

  it('reads its configuration from the environment and onboards the tenant', async () => {
    // Act
    const { result, output } = await captureOutput(() => handler(acme, lambdaContext()));

    // Assess
    expect(result.created).toBe(true);
    expect(cognitoMock.commandCalls(CreateGroupCommand)[0]?.args[0].input.UserPoolId).toBe(userPoolId);
    expect(publishedDetails()[0]?.EventBusName).toBe(eventBusName);
    expect(output).toContain('Tenant onboarded');
  });

  it('logs and rethrows a refusal', async () => {
    // Act
    const { result, output } = await captureOutput(() =>
      handler({ ...acme, tenantId: '*' }, lambdaContext()).catch((error: unknown) => error),
    );

    // Assess
    expect(result).toBeInstanceOf(InvalidInputError);
    expect(output).toContain('onboardTenant refused');
  });
});

describe('onboardTenant configuration', () => {
  it('fails clearly when the user pool id is not configured', async () => {
    // Prepare
    const unconfigured = makeHandler({
      cognito: new CognitoIdentityProviderClient({ region: 'us-east-1' }),
      eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
      documents: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
      config: () => {
        throw new ConfigurationError('COGNITO_USER_POOL_ID is not set');
      },
      logger: silentLogger(),
    });

    // Act
    const error = await rejectionOf(unconfigured(acme));

    // Assess
    expect(error.message).toContain('COGNITO_USER_POOL_ID is not set');
  });
});
