import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TestIssuer } from '@tenant-assistant/testing';
import { cognitoTenantDirectory } from '../../src/adapters/cognito';
import { s3TenantFiles } from '../../src/adapters/tenant-files';
import { dynamoTenantRegistry } from '../../src/adapters/tenants-table';
import { createHandler } from '../../src/functions/tenantsAdmin/handler';
import { type AdminRequest, adminHttp, callAdmin, listGroupsFrom, route, userPoolId } from './admin-api';
import { awsError, silentLogger, tenantRecord } from './index';
import { cognitoMock, documentsMock, eventBridgeMock, resetMocks, s3Mock } from './mocks';

export { cognitoMock, documentsMock, eventBridgeMock, s3Mock } from './mocks';

export const platformSub = '11111111-1111-4111-8111-111111111111';
export const plainSub = '22222222-2222-4222-8222-222222222222';

/** The pool's users and their groups. */
const groupsByUser: Record<string, string[]> = {
  'platform-admin': ['tenant-tenant1', 'platform-admins'],
  'tenant1-admin': ['tenant-tenant1', 'admin-tenant1'],
  'tenant1-user': ['tenant-tenant1'],
};

/** A new tenant as a platform admin creates it. */
export const acme = {
  tenantId: 'acme',
  name: 'Acme',
  returnPolicyDays: 30,
  tier: 'standard',
  firstAdmin: { username: 'acme-admin', email: 'admin@acme.test' },
};

let issuer: TestIssuer;
let handler: ReturnType<typeof createHandler>;

/** An ID token of `username` (sub `sub`) for `tenantId`; `null` leaves the tenant out. */
export const tokenOf = (username: string, sub: string, tenantId: string | null = 'tenant1') =>
  issuer.idToken({ sub, username, tenantId });

/** A platform admin's token. */
export const platformToken = () => tokenOf('platform-admin', platformSub);

export const call = (request: AdminRequest) => callAdmin(handler, request);

/** `PATCH /admin/tenants/{tenantId}` with `body`. */
export const updateTenant = (tenantId: string, body: unknown): AdminRequest => ({
  ...route('PATCH /admin/tenants/{tenantId}', { tenantId }),
  body,
});

/** `POST /admin/tenants/{tenantId}/<action>`, with `body` when given. */
export const tenantAction = (
  action: 'suspend' | 'resume' | 'offboard',
  tenantId: string,
  body?: unknown,
): AdminRequest => ({
  ...route(`POST /admin/tenants/{tenantId}/${action}`, { tenantId }),
  ...(body === undefined ? {} : { body }),
});

/** Every write the API could make: users, groups, registry items, files and events. */
export const writes = () => [
  ...documentsMock.commandCalls(PutCommand),
  ...documentsMock.commandCalls(UpdateCommand),
  ...cognitoMock.commandCalls(CreateGroupCommand),
  ...cognitoMock.commandCalls(AdminCreateUserCommand),
  ...eventBridgeMock.commandCalls(PutEventsCommand),
  ...cognitoMock.commandCalls(AdminDeleteUserCommand),
  ...cognitoMock.commandCalls(DeleteGroupCommand),
  ...s3Mock.commandCalls(DeleteObjectsCommand),
];

/** The detail types published, in order. */
export const publishedTypes = () =>
  eventBridgeMock
    .commandCalls(PutEventsCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((entry) => entry.DetailType);

/**
 * Set-up of every test in a file that imports this module (its hooks register on import):
 * the tenants admin API against mocked Cognito, DynamoDB, EventBridge and S3 clients: builds the handler once and resets the mocks to a pool where groups can be created and users invited.
 */
beforeAll(async () => {
  const cognito = new CognitoIdentityProviderClient({ region: 'us-east-1' });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const created = await adminHttp(cognito, silentLogger());
  issuer = created.issuer;
  handler = createHandler({
    ...created.http,
    lifecycle: () => ({
      registry: dynamoTenantRegistry(documents, 'tenants'),
      directory: cognitoTenantDirectory(cognito, userPoolId),
      files: s3TenantFiles(new S3Client({ region: 'us-east-1' }), 'tenant-files'),
      eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
      eventBusName: 'control',
      logger: silentLogger(),
    }),
  });
}, 30_000);

beforeEach(() => {
  resetMocks();
  cognitoMock
    .on(AdminListGroupsForUserCommand)
    .callsFake(listGroupsFrom((username) => groupsByUser[username]));
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
