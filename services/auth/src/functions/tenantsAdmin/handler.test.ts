import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createTokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import {
  badTokens,
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  type TestIssuer,
} from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, silentLogger, tenantRecord } from '../../../test/support';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { s3TenantFiles } from '../../adapters/tenant-files';
import { dynamoTenantRegistry } from '../../adapters/tenants-table';
import { createHandler } from './handler';

const cognitoMock = mockClient(CognitoIdentityProviderClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const documentsMock = mockClient(DynamoDBDocumentClient);
const s3Mock = mockClient(S3Client);

const userPoolId = 'us-east-1_AbCdEf123';
const cognito = new CognitoIdentityProviderClient({ region: 'us-east-1' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const eventBridge = new EventBridgeClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const platformSub = '11111111-1111-4111-8111-111111111111';
const plainSub = '22222222-2222-4222-8222-222222222222';

let issuer: TestIssuer;
let handler: ReturnType<typeof createHandler>;

const groupsByUser: Record<string, string[]> = {
  'platform-admin': ['tenant-tenant1', 'platform-admins'],
  'tenant1-admin': ['tenant-tenant1', 'admin-tenant1'],
  'tenant1-user': ['tenant-tenant1'],
};

const tokenOf = (username: string, sub: string, tenantId: string | null = 'tenant1') =>
  issuer.idToken({ sub, username, tenantId });

const call = async (opts: {
  method: string;
  path: string;
  routeKey: string;
  token?: string;
  body?: unknown;
  pathParameters?: Record<string, string>;
}) => {
  const response = await handler(httpApiEvent(opts) as never, lambdaContext());
  return {
    statusCode: response.statusCode,
    body: JSON.parse(response.body ?? 'null') as Record<string, unknown>,
  };
};

const writes = () => [
  ...documentsMock.commandCalls(PutCommand),
  ...documentsMock.commandCalls(UpdateCommand),
  ...cognitoMock.commandCalls(CreateGroupCommand),
  ...cognitoMock.commandCalls(AdminCreateUserCommand),
  ...eventBridgeMock.commandCalls(PutEventsCommand),
  ...cognitoMock.commandCalls(AdminDeleteUserCommand),
  ...cognitoMock.commandCalls(DeleteGroupCommand),
  ...s3Mock.commandCalls(DeleteObjectsCommand),
];

beforeAll(async () => {
  issuer = await createTestIssuer({ userPoolId });
  handler = createHandler({
    verifier: createTokenVerifier({ userPoolId, clientId: issuer.clientId, jwks: issuer.jwks as never }),
    directory: () => cognitoTenantDirectory(cognito, userPoolId),
    logger: silentLogger(),
    webOrigins: () => ['http://localhost:5173'],
    lifecycle: () => ({
      registry: dynamoTenantRegistry(documents, 'tenants'),
      directory: cognitoTenantDirectory(cognito, userPoolId),
      files: s3TenantFiles(s3, 'tenant-files'),
      eventBridge,
      eventBusName: 'control',
      logger: silentLogger(),
    }),
  });
}, 30_000);

beforeEach(() => {
  cognitoMock.reset();
  eventBridgeMock.reset();
  documentsMock.reset();
  s3Mock.reset();
  cognitoMock.on(AdminListGroupsForUserCommand).callsFake((input: { Username: string }) => {
    const groups = groupsByUser[input.Username];
    if (!groups) throw awsError('UserNotFoundException', 'User does not exist.');
    return { Groups: groups.map((GroupName) => ({ GroupName })) };
  });
  cognitoMock.on(GetGroupCommand).rejects(awsError('ResourceNotFoundException'));
  cognitoMock.on(CreateGroupCommand).resolves({});
  cognitoMock
    .on(AdminCreateUserCommand)
    .resolves({ User: { Attributes: [{ Name: 'sub', Value: plainSub }] } });
  cognitoMock.on(AdminAddUserToGroupCommand).resolves({});
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
  documentsMock.on(PutCommand).resolves({});
  documentsMock.on(GetCommand).resolves({ Item: tenantRecord('acme') });
});

const acme = {
  tenantId: 'acme',
  name: 'Acme',
  returnPolicyDays: 30,
  tier: 'standard',
  firstAdmin: { username: 'acme-admin', email: 'admin@acme.test' },
};

describe('tenantsAdmin', () => {
  it('lets a platform admin create a tenant and invites its first admin through Cognito’s own message', async () => {
    // Act
    const response = await call({
      method: 'POST',
      path: '/admin/tenants',
      routeKey: 'POST /admin/tenants',
      token: await tokenOf('platform-admin', platformSub),
      body: acme,
    });

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({
      created: true,
      firstAdmin: { username: 'acme-admin', tenantAdmin: true },
    });
    const invite = cognitoMock.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(invite).toMatchObject({ Username: 'acme-admin', DesiredDeliveryMediums: ['EMAIL'] });
    expect(invite?.TemporaryPassword).toBeUndefined();
    expect(invite?.MessageAction).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toMatch(/password/i);
    expect(
      cognitoMock.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input.GroupName),
    ).toEqual(['tenant-acme', 'admin-acme']);
  });

  it('lists tenants a page at a time with an opaque cursor', async () => {
    // Prepare
    documentsMock.on(ScanCommand).resolves({
      Items: [tenantRecord('tenant2'), tenantRecord('tenant1')],
      LastEvaluatedKey: { tenantId: 'tenant2' },
    });

    // Act
    const response = await call({
      method: 'GET',
      path: '/admin/tenants',
      routeKey: 'GET /admin/tenants',
      token: await tokenOf('platform-admin', platformSub),
    });

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
    documentsMock
      .on(UpdateCommand)
      .resolves({ Attributes: tenantRecord('acme', { returnPolicyDays: 14, tier: 'premium' }) });

    // Act
    const response = await call({
      method: 'PATCH',
      path: '/admin/tenants/acme',
      routeKey: 'PATCH /admin/tenants/{tenantId}',
      pathParameters: { tenantId: 'acme' },
      token: await tokenOf('platform-admin', platformSub),
      body: { returnPolicyDays: 14, tier: 'premium' },
    });

    // Assess
    expect(response.statusCode).toBe(200);
    const entry = eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
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
    documentsMock.on(UpdateCommand).resolves({ Attributes: tenantRecord('acme', { status: 'SUSPENDED' }) });

    // Act
    const response = await call({
      method: 'POST',
      path: '/admin/tenants/acme/suspend',
      routeKey: 'POST /admin/tenants/{tenantId}/suspend',
      pathParameters: { tenantId: 'acme' },
      token: await tokenOf('platform-admin', platformSub),
    });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body.status).toBe('SUSPENDED');
    expect(
      documentsMock.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues,
    ).toMatchObject({
      ':status': 'SUSPENDED',
    });
    expect(eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.DetailType).toBe(
      'TenantSuspended',
    );
  });

  it('answers 404 for an unknown tenant and 400 for an invalid tier, changing nothing', async () => {
    // Prepare
    documentsMock
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }));
    documentsMock.on(GetCommand).resolves({});
    const token = await tokenOf('platform-admin', platformSub);

    // Act
    const missing = await call({
      method: 'POST',
      path: '/admin/tenants/nope/resume',
      routeKey: 'POST /admin/tenants/{tenantId}/resume',
      pathParameters: { tenantId: 'nope' },
      token,
    });
    const badTier = await call({
      method: 'PATCH',
      path: '/admin/tenants/acme',
      routeKey: 'PATCH /admin/tenants/{tenantId}',
      pathParameters: { tenantId: 'acme' },
      token,
      body: { tier: 'gold' },
    });

    // Assess
    expect(missing).toEqual({
      statusCode: 404,
      body: { error: { code: 'TENANT_NOT_FOUND', message: 'Tenant nope not found' } },
    });
    expect(badTier.statusCode).toBe(400);
    expect((badTier.body.error as { code: string }).code).toBe('INVALID_INPUT');
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  describe('offboarding', () => {
    const offboard = async (tenantId: string, body: unknown, username = 'platform-admin') =>
      call({
        method: 'POST',
        path: `/admin/tenants/${tenantId}/offboard`,
        routeKey: 'POST /admin/tenants/{tenantId}/offboard',
        pathParameters: { tenantId },
        token: await tokenOf(username, username === 'platform-admin' ? platformSub : plainSub),
        body,
      });
    const member = (username: string, tenantId: string) => ({
      Username: username,
      Attributes: [
        { Name: 'sub', Value: plainSub },
        { Name: 'custom:tenantId', Value: tenantId },
      ],
    });
    const offboardingItem = {
      ...tenantRecord('acme'),
      status: 'OFFBOARDING',
      offboarding: {
        requestedAt: '2026-01-02T00:00:00.000Z',
        services: {
          auth: { status: 'PENDING' },
          'chat-api': { status: 'PENDING' },
          'order-action-group': { status: 'PENDING' },
        },
      },
    };

    it('deletes the tenant’s users, groups and files, marks auth DONE and publishes TenantOffboarded', async () => {
      // Prepare
      cognitoMock.on(GetGroupCommand).resolves({ Group: { GroupName: 'x', Description: 'd' } });
      cognitoMock
        .on(ListUsersInGroupCommand, { GroupName: 'tenant-acme' })
        .resolves({ Users: [member('acme-user', 'acme'), member('stray', 'other')] })
        .on(ListUsersInGroupCommand, { GroupName: 'admin-acme' })
        .resolves({ Users: [member('acme-admin', 'acme')] });
      cognitoMock.on(AdminUserGlobalSignOutCommand).resolves({});
      cognitoMock.on(AdminDeleteUserCommand).resolves({});
      cognitoMock.on(DeleteGroupCommand).resolves({});
      s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'acme/a.pdf' }, { Key: 'acme/b.pdf' }] });
      s3Mock.on(DeleteObjectsCommand).resolves({});
      documentsMock.on(UpdateCommand).resolves({ Attributes: offboardingItem });

      // Act
      const response = await offboard('acme', { confirm: 'acme' });

      // Assess
      expect(response.statusCode).toBe(202);
      expect(response.body).toMatchObject({ tenantId: 'acme', status: 'OFFBOARDING' });
      const deletedUsers = cognitoMock
        .commandCalls(AdminDeleteUserCommand)
        .map((c) => c.args[0].input.Username);
      expect(deletedUsers.sort()).toEqual(['acme-admin', 'acme-user']);
      expect(cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(2);
      expect(cognitoMock.commandCalls(DeleteGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual([
        'tenant-acme',
        'admin-acme',
      ]);
      expect(s3Mock.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({
        Bucket: 'tenant-files',
        Prefix: 'acme/',
      });
      const [begin, step] = documentsMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
      expect(begin?.ExpressionAttributeValues?.[':offboarding']).toBe('OFFBOARDING');
      expect(step?.ExpressionAttributeValues?.[':step']).toMatchObject({
        status: 'DONE',
        deleted: { users: 2, groups: 2, files: 2 },
      });
      const entries = eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries;
      expect(entries).toEqual([
        expect.objectContaining({
          Source: 'tenant-assistant.auth',
          DetailType: 'TenantOffboarded',
          Detail: JSON.stringify({ tenantId: 'acme' }),
        }),
      ]);
    });

    it('redoes only what is missing on a repeat and publishes again', async () => {
      // Prepare: the groups and users are gone already; auth's step was recorded
      cognitoMock.on(GetGroupCommand).rejects(awsError('ResourceNotFoundException'));
      cognitoMock.on(DeleteGroupCommand).rejects(awsError('ResourceNotFoundException'));
      s3Mock.on(ListObjectsV2Command).resolves({});
      documentsMock
        .on(UpdateCommand)
        .resolvesOnce({ Attributes: offboardingItem })
        .rejects(awsError('ConditionalCheckFailedException'));
      documentsMock.on(GetCommand).resolves({ Item: offboardingItem });

      // Act
      const response = await offboard('acme', { confirm: 'acme' });

      // Assess
      expect(response.statusCode).toBe(202);
      expect(cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
      expect(s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
      expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    });

    it('returns an offboarded tenant’s tombstone and publishes nothing', async () => {
      // Prepare
      const tombstone = {
        tenantId: 'acme',
        status: 'OFFBOARDED',
        offboarding: { ...offboardingItem.offboarding, completedAt: '2026-01-03T00:00:00.000Z' },
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-03T00:00:00.000Z',
      };
      documentsMock.on(UpdateCommand).rejects(awsError('ConditionalCheckFailedException'));
      documentsMock.on(GetCommand).resolves({ Item: tombstone });

      // Act
      const response = await offboard('acme', { confirm: 'acme' });

      // Assess
      expect(response).toEqual({ statusCode: 202, body: tombstone });
      expect(cognitoMock.commandCalls(ListUsersInGroupCommand)).toHaveLength(0);
      expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    });

    it.each([[undefined], [{}], [{ confirm: 'acm' }], [{ confirm: 'acme', extra: 1 }]])(
      'refuses a body %j that does not repeat the tenant id with 400, changing nothing',
      async (body) => {
        // Act
        const response = await offboard('acme', body);

        // Assess
        expect(response.statusCode).toBe(400);
        expect(documentsMock.commandCalls(UpdateCommand)).toHaveLength(0);
        expect(writes()).toHaveLength(0);
      },
    );

    it('refuses to offboard the platform admin’s own tenant with 409', async () => {
      // Act
      const response = await offboard('tenant1', { confirm: 'tenant1' });

      // Assess
      expect(response.statusCode).toBe(409);
      expect(documentsMock.commandCalls(UpdateCommand)).toHaveLength(0);
      expect(writes()).toHaveLength(0);
    });

    it('answers 404 for an unknown tenant', async () => {
      // Prepare
      documentsMock.on(UpdateCommand).rejects(awsError('ConditionalCheckFailedException'));
      documentsMock.on(GetCommand).resolves({});

      // Act
      const response = await offboard('ghost', { confirm: 'ghost' });

      // Assess
      expect(response.statusCode).toBe(404);
      expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    });

    it('refuses to resume or update a tenant that is being offboarded with 409', async () => {
      // Prepare
      documentsMock.on(UpdateCommand).rejects(awsError('ConditionalCheckFailedException'));
      documentsMock.on(GetCommand).resolves({ Item: offboardingItem });

      // Act
      const resumed = await call({
        method: 'POST',
        path: '/admin/tenants/acme/resume',
        routeKey: 'POST /admin/tenants/{tenantId}/resume',
        pathParameters: { tenantId: 'acme' },
        token: await tokenOf('platform-admin', platformSub),
      });
      const updated = await call({
        method: 'PATCH',
        path: '/admin/tenants/acme',
        routeKey: 'PATCH /admin/tenants/{tenantId}',
        pathParameters: { tenantId: 'acme' },
        token: await tokenOf('platform-admin', platformSub),
        body: { returnPolicyDays: 1 },
      });

      // Assess
      expect(resumed.statusCode).toBe(409);
      expect(resumed.body).toMatchObject({ error: { code: 'TENANT_OFFBOARDED' } });
      expect(updated.statusCode).toBe(409);
      expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    });
  });

  describe('refusals (nothing is read or written)', () => {
    const routes = [
      { method: 'GET', path: '/admin/tenants', routeKey: 'GET /admin/tenants' },
      { method: 'POST', path: '/admin/tenants', routeKey: 'POST /admin/tenants', body: acme },
      {
        method: 'PATCH',
        path: '/admin/tenants/tenant2',
        routeKey: 'PATCH /admin/tenants/{tenantId}',
        pathParameters: { tenantId: 'tenant2' },
        body: { returnPolicyDays: 1 },
      },
      {
        method: 'POST',
        path: '/admin/tenants/tenant2/suspend',
        routeKey: 'POST /admin/tenants/{tenantId}/suspend',
        pathParameters: { tenantId: 'tenant2' },
      },
      {
        method: 'POST',
        path: '/admin/tenants/tenant2/offboard',
        routeKey: 'POST /admin/tenants/{tenantId}/offboard',
        pathParameters: { tenantId: 'tenant2' },
        body: { confirm: 'tenant2' },
      },
    ];

    it.each(routes)('refuses a tenant admin on $routeKey with 403', async (route) => {
      // Act
      const response = await call({ ...route, token: await tokenOf('tenant1-admin', plainSub) });

      // Assess
      expect(response).toEqual({
        statusCode: 403,
        body: {
          error: { code: 'ADMIN_ROLE_REQUIRED', message: 'This action requires the platform admin role' },
        },
      });
      expect(writes()).toHaveLength(0);
      expect(documentsMock.calls()).toHaveLength(0);
    });

    it.each(routes)('refuses a plain user on $routeKey with 403', async (route) => {
      // Act
      const response = await call({ ...route, token: await tokenOf('tenant1-user', plainSub) });

      // Assess
      expect(response.statusCode).toBe(403);
      expect(writes()).toHaveLength(0);
    });

    it.each(routes)('refuses a forged token on $routeKey with 401', async (route) => {
      // Prepare
      const forged = badTokens.algNone({
        sub: platformSub,
        'cognito:username': 'platform-admin',
        tenantId: 'tenant1',
      });

      // Act
      const response = await call({ ...route, token: forged });

      // Assess
      expect(response.statusCode).toBe(401);
      expect(cognitoMock.calls()).toHaveLength(0);
      expect(writes()).toHaveLength(0);
    });

    it.each(routes)('refuses a tenant-less token on $routeKey with 403', async (route) => {
      // Act
      const response = await call({ ...route, token: await tokenOf('platform-admin', platformSub, null) });

      // Assess
      expect(response.statusCode).toBe(403);
      expect(cognitoMock.calls()).toHaveLength(0);
      expect(writes()).toHaveLength(0);
    });

    it('refuses a missing token with 401 and a user that no longer exists with 401', async () => {
      // Act
      const anonymous = await call(routes[0] as (typeof routes)[0]);
      const deleted = await call({
        ...(routes[0] as (typeof routes)[0]),
        token: await tokenOf('gone', plainSub),
      });

      // Assess
      expect(anonymous.statusCode).toBe(401);
      expect(deleted.statusCode).toBe(401);
      expect(writes()).toHaveLength(0);
    });
  });
});
