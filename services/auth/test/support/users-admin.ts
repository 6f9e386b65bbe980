import type { Logger } from '@aws-lambda-powertools/logger';
import * as idp from '@aws-sdk/client-cognito-identity-provider';
import type { TestIssuer } from '@tenant-assistant/testing';
import { createHandler } from '../../src/functions/usersAdmin/handler';
import { type AdminRequest, adminHttp, callAdmin, listGroupsFrom, route } from './admin-api';
import { awsError, silentLogger } from './index';
import { cognitoMock, resetMocks } from './mocks';

export { cognitoMock } from './mocks';

/** The pool: username → tenant, sub, status and groups. */
export const users: Record<string, { tenantId: string; sub: string; status: string; groups: string[] }> = {
  'tenant1-admin': {
    tenantId: 'tenant1',
    sub: '11111111-1111-4111-8111-111111111111',
    status: 'CONFIRMED',
    groups: ['tenant-tenant1', 'admin-tenant1'],
  },
  'tenant1-user': {
    tenantId: 'tenant1',
    sub: '22222222-2222-4222-8222-222222222222',
    status: 'CONFIRMED',
    groups: ['tenant-tenant1'],
  },
  'tenant1-new': {
    tenantId: 'tenant1',
    sub: '33333333-3333-4333-8333-333333333333',
    status: 'FORCE_CHANGE_PASSWORD',
    groups: ['tenant-tenant1'],
  },
  'tenant2-user': {
    tenantId: 'tenant2',
    sub: '44444444-4444-4444-8444-444444444444',
    status: 'CONFIRMED',
    groups: ['tenant-tenant2'],
  },
  // a tenant admin of tenant1 who is also in tenant2's admin group by mistake: grants nothing there
  'tenant1-odd': {
    tenantId: 'tenant1',
    sub: '55555555-5555-4555-8555-555555555555',
    status: 'CONFIRMED',
    groups: ['tenant-tenant1', 'admin-tenant2'],
  },
};

const cognitoUser = (username: string) => {
  const user = users[username];
  if (!user) throw awsError('UserNotFoundException', 'User does not exist.');
  return {
    Username: username,
    UserStatus: user.status,
    Enabled: true,
    UserCreateDate: new Date('2026-01-01T00:00:00Z'),
    UserAttributes: [
      { Name: 'sub', Value: user.sub },
      { Name: 'email', Value: `${username}@example.com` },
      { Name: 'custom:tenantId', Value: user.tenantId },
    ],
  };
};

/** The commands that change a user or a group. */
const writeCommands = [
  idp.AdminAddUserToGroupCommand,
  idp.AdminRemoveUserFromGroupCommand,
  idp.AdminDeleteUserCommand,
  idp.AdminDisableUserCommand,
  idp.AdminEnableUserCommand,
  idp.AdminSetUserMFAPreferenceCommand,
];

let issuer: TestIssuer;
let handler: ReturnType<typeof createHandler>;

/** The users admin handler over the mocked pool, logging with `logger`. */
export const usersAdminHandler = async (logger: Logger) => {
  const created = await adminHttp(new idp.CognitoIdentityProviderClient({ region: 'us-east-1' }), logger);
  return {
    issuer: created.issuer,
    handler: createHandler({
      ...created.http,
      users: () => ({ directory: created.http.directory(), logger }),
    }),
  };
};

/** An ID token of `username` for its own tenant, or for `tenantId` (`null` leaves the tenant out). */
export const tokenOf = (username: string, tenantId?: string | null) => {
  const user = users[username];
  return issuer.idToken({
    sub: user?.sub ?? '99999999-9999-4999-8999-999999999999',
    username,
    tenantId: tenantId === undefined ? (user?.tenantId ?? 'tenant1') : tenantId,
  });
};

export const call = (request: AdminRequest) => callAdmin(handler, request);

/** Every user or group change sent to Cognito. */
export const writes = () =>
  [idp.AdminCreateUserCommand, ...writeCommands].flatMap((command) =>
    cognitoMock.commandCalls(command as never),
  );

/** A route on one user, e.g. `onUser('POST', '/disable', 'ann')`. */
export const onUser = (method: string, suffix: string, username: string) =>
  route(`${method} /admin/users/{username}${suffix}`, { username });

/** Granting `username` a role. */
export const grantRole = (username: string, role: string): AdminRequest => ({
  ...onUser('POST', '/roles', username),
  body: { role },
});

/** Revoking `username`'s tenant admin role. */
export const revokeAdmin = (username: string) =>
  route('DELETE /admin/users/{username}/roles/{role}', { username, role: 'tenant-admin' });

/** Every route of the API, the per-user ones on `username`. */
export const everyRoute = (username: string): AdminRequest[] => [
  route('GET /admin/users'),
  { ...route('POST /admin/users'), body: { username: 'x1', email: 'x@example.com' } },
  onUser('GET', '', username),
  onUser('DELETE', '', username),
  onUser('POST', '/resend-invitation', username),
  onUser('POST', '/disable', username),
  onUser('POST', '/enable', username),
  onUser('POST', '/reset-mfa', username),
  grantRole(username, 'tenant-admin'),
  revokeAdmin(username),
];

/**
 * Set-up of every test in a file that imports this module (its hooks register on import):
 * the users admin API against a mocked Cognito: builds the handler once and resets the pool's mock before each test.
 */
beforeAll(async () => {
  ({ issuer, handler } = await usersAdminHandler(silentLogger()));
}, 30_000);

beforeEach(() => {
  resetMocks();
  cognitoMock
    .on(idp.AdminListGroupsForUserCommand)
    .callsFake(listGroupsFrom((username) => users[username]?.groups));
  cognitoMock
    .on(idp.AdminGetUserCommand)
    .callsFake((input: { Username: string }) => cognitoUser(input.Username));
  cognitoMock.on(idp.ListUsersInGroupCommand).callsFake((input: { GroupName: string }) => ({
    Users: Object.entries(users)
      .filter(([, user]) => user.groups.includes(input.GroupName))
      .map(([username]) => {
        const { UserAttributes, ...rest } = cognitoUser(username);
        return { ...rest, Attributes: UserAttributes };
      }),
  }));
  cognitoMock
    .on(idp.AdminCreateUserCommand)
    .resolves({ User: { Attributes: [{ Name: 'sub', Value: users['tenant1-new']?.sub }] } });
  for (const command of writeCommands) cognitoMock.on(command as never).resolves({} as never);
});
