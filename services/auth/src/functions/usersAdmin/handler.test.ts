import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserMFAPreferenceCommand,
  CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createTokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import {
  badTokens,
  captureOutput,
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  type TestIssuer,
} from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, silentLogger } from '../../../test/support';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { logger } from '../../logger';
import { createHandler } from './handler';

const cognitoMock = mockClient(CognitoIdentityProviderClient);
const userPoolId = 'us-east-1_AbCdEf123';
const cognito = new CognitoIdentityProviderClient({ region: 'us-east-1' });

/** The pool: username → tenant, sub, status and groups. */
const users: Record<string, { tenantId: string; sub: string; status: string; groups: string[] }> = {
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

let issuer: TestIssuer;
let handler: ReturnType<typeof createHandler>;

const tokenOf = (username: string, tenantId?: string | null) => {
  const user = users[username];
  return issuer.idToken({
    sub: user?.sub ?? '99999999-9999-4999-8999-999999999999',
    username,
    tenantId: tenantId === undefined ? (user?.tenantId ?? 'tenant1') : tenantId,
  });
};

const call = async (opts: {
  method: string;
  routeKey: string;
  path?: string;
  token?: string;
  body?: unknown;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}) => {
  const response = await handler(
    httpApiEvent({ path: opts.routeKey.split(' ')[1], ...opts }) as never,
    lambdaContext(),
  );
  return {
    statusCode: response.statusCode,
    body: JSON.parse(response.body || 'null') as Record<string, unknown>,
  };
};

const writes = () =>
  [
    AdminCreateUserCommand,
    AdminAddUserToGroupCommand,
    AdminRemoveUserFromGroupCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminEnableUserCommand,
    AdminSetUserMFAPreferenceCommand,
  ].flatMap((command) => cognitoMock.commandCalls(command as never));

beforeAll(async () => {
  issuer = await createTestIssuer({ userPoolId });
  const directory = () => cognitoTenantDirectory(cognito, userPoolId);
  handler = createHandler({
    verifier: createTokenVerifier({ userPoolId, clientId: issuer.clientId, jwks: issuer.jwks as never }),
    directory,
    logger: silentLogger(),
    webOrigins: () => [],
    users: () => ({ directory: directory(), logger: silentLogger() }),
  });
}, 30_000);

beforeEach(() => {
  cognitoMock.reset();
  cognitoMock.on(AdminListGroupsForUserCommand).callsFake((input: { Username: string }) => {
    const user = users[input.Username];
    if (!user) throw awsError('UserNotFoundException');
    return { Groups: user.groups.map((GroupName) => ({ GroupName })) };
  });
  cognitoMock.on(AdminGetUserCommand).callsFake((input: { Username: string }) => cognitoUser(input.Username));
  cognitoMock.on(ListUsersInGroupCommand).callsFake((input: { GroupName: string }) => ({
    Users: Object.entries(users)
      .filter(([, user]) => user.groups.includes(input.GroupName))
      .map(([username]) => {
        const { UserAttributes, ...rest } = cognitoUser(username);
        return { ...rest, Attributes: UserAttributes };
      }),
  }));
  cognitoMock
    .on(AdminCreateUserCommand)
    .resolves({ User: { Attributes: [{ Name: 'sub', Value: users['tenant1-new']?.sub }] } });
  for (const command of [
    AdminAddUserToGroupCommand,
    AdminRemoveUserFromGroupCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminEnableUserCommand,
    AdminSetUserMFAPreferenceCommand,
  ]) {
    cognitoMock.on(command as never).resolves({} as never);
  }
});

const onUser = (method: string, suffix: string, username: string) => ({
  method,
  routeKey: `${method} /admin/users/{username}${suffix}`,
  path: `/admin/users/${username}${suffix}`,
  pathParameters: { username },
});

describe('usersAdmin', () => {
  it("lists the users of the caller's own tenant only, with their admin flag", async () => {
    // Act
    const response = await call({
      method: 'GET',
      routeKey: 'GET /admin/users',
      token: await tokenOf('tenant1-admin'),
    });

    // Assess
    expect(response.statusCode).toBe(200);
    const items = response.body.items as { username: string; tenantAdmin: boolean }[];
    expect(items.map((u) => u.username).sort()).toEqual([
      'tenant1-admin',
      'tenant1-new',
      'tenant1-odd',
      'tenant1-user',
    ]);
    expect(items.find((u) => u.username === 'tenant1-admin')?.tenantAdmin).toBe(true);
    expect(cognitoMock.commandCalls(ListUsersInGroupCommand)[0]?.args[0].input.GroupName).toBe(
      'tenant-tenant1',
    );
  });

  it('invites a user into the caller’s tenant through Cognito’s invitation, returning and logging no password', async () => {
    // Act
    const { result, output } = await captureOutput(async () => {
      const real = createHandler({
        verifier: createTokenVerifier({ userPoolId, clientId: issuer.clientId, jwks: issuer.jwks as never }),
        directory: () => cognitoTenantDirectory(cognito, userPoolId),
        logger,
        webOrigins: () => [],
        users: () => ({ directory: cognitoTenantDirectory(cognito, userPoolId), logger }),
      });
      return real(
        httpApiEvent({
          method: 'POST',
          path: '/admin/users',
          routeKey: 'POST /admin/users',
          token: await tokenOf('tenant1-admin'),
          body: { username: 'tenant1-new', email: 'new@example.com' },
        }) as never,
        lambdaContext(),
      );
    });

    // Assess
    expect(result.statusCode).toBe(201);
    const input = cognitoMock.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(input?.UserAttributes).toContainEqual({ Name: 'custom:tenantId', Value: 'tenant1' });
    expect(input?.TemporaryPassword).toBeUndefined();
    expect(input?.MessageAction).toBeUndefined();
    expect(input?.DesiredDeliveryMediums).toEqual(['EMAIL']);
    expect(Object.keys(JSON.parse(result.body ?? '{}'))).toEqual([
      'username',
      'userId',
      'email',
      'status',
      'enabled',
      'createdAt',
      'tenantAdmin',
    ]);
    expect(output).toContain('Tenant user invited');
    expect(output).not.toMatch(/temporary ?password/i);
  });

  it('resends an invitation only to a user who has not signed in', async () => {
    // Prepare
    const token = await tokenOf('tenant1-admin');

    // Act
    const pending = await call({ ...onUser('POST', '/resend-invitation', 'tenant1-new'), token });
    const signedIn = await call({ ...onUser('POST', '/resend-invitation', 'tenant1-user'), token });

    // Assess
    expect(pending.statusCode).toBe(200);
    expect(cognitoMock.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toMatchObject({
      Username: 'tenant1-new',
      MessageAction: 'RESEND',
    });
    expect(signedIn.statusCode).toBe(409);
  });

  it.each([
    ['disables', 'POST', '/disable', AdminDisableUserCommand],
    ['enables', 'POST', '/enable', AdminEnableUserCommand],
    ['deletes', 'DELETE', '', AdminDeleteUserCommand],
    ['resets the MFA of', 'POST', '/reset-mfa', AdminSetUserMFAPreferenceCommand],
  ])('%s a user of the caller’s tenant', async (_, method, suffix, command) => {
    // Act
    const response = await call({
      ...onUser(method, suffix, 'tenant1-user'),
      token: await tokenOf('tenant1-admin'),
    });

    // Assess
    expect([200, 204]).toContain(response.statusCode);
    expect(cognitoMock.commandCalls(command as never)[0]?.args[0].input).toMatchObject({
      Username: 'tenant1-user',
    });
  });

  it('turns TOTP off on reset-mfa so the user enrols again', async () => {
    // Act
    await call({ ...onUser('POST', '/reset-mfa', 'tenant1-user'), token: await tokenOf('tenant1-admin') });

    // Assess
    expect(
      cognitoMock.commandCalls(AdminSetUserMFAPreferenceCommand)[0]?.args[0].input.SoftwareTokenMfaSettings,
    ).toEqual({
      Enabled: false,
      PreferredMfa: false,
    });
  });

  it('grants and revokes tenant admin in the caller’s tenant only', async () => {
    // Prepare
    const token = await tokenOf('tenant1-admin');

    // Act
    const granted = await call({
      ...onUser('POST', '/roles', 'tenant1-user'),
      token,
      body: { role: 'tenant-admin' },
    });
    const revoked = await call({
      method: 'DELETE',
      routeKey: 'DELETE /admin/users/{username}/roles/{role}',
      path: '/admin/users/tenant1-user/roles/tenant-admin',
      pathParameters: { username: 'tenant1-user', role: 'tenant-admin' },
      token,
    });

    // Assess
    expect(granted.statusCode).toBe(200);
    expect(revoked.statusCode).toBe(200);
    expect(cognitoMock.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input.GroupName).toBe(
      'admin-tenant1',
    );
    expect(cognitoMock.commandCalls(AdminRemoveUserFromGroupCommand)[0]?.args[0].input.GroupName).toBe(
      'admin-tenant1',
    );
  });

  describe('refusals (nothing is changed)', () => {
    const everyRoute = (username: string) => [
      { method: 'GET', routeKey: 'GET /admin/users' },
      { method: 'POST', routeKey: 'POST /admin/users', body: { username: 'x1', email: 'x@example.com' } },
      onUser('GET', '', username),
      onUser('DELETE', '', username),
      onUser('POST', '/resend-invitation', username),
      onUser('POST', '/disable', username),
      onUser('POST', '/enable', username),
      onUser('POST', '/reset-mfa', username),
      { ...onUser('POST', '/roles', username), body: { role: 'tenant-admin' } },
      {
        method: 'DELETE',
        routeKey: 'DELETE /admin/users/{username}/roles/{role}',
        path: `/admin/users/${username}/roles/tenant-admin`,
        pathParameters: { username, role: 'tenant-admin' },
      },
    ];

    it.each(everyRoute('tenant2-user').filter((route) => route.routeKey.includes('{username}')))(
      "answers 404 to a tenant admin naming another tenant's user on $routeKey",
      async (route) => {
        // Act
        const response = await call({ ...route, token: await tokenOf('tenant1-admin') });

        // Assess
        expect(response).toEqual({
          statusCode: 404,
          body: { error: { code: 'USER_NOT_FOUND', message: 'User tenant2-user not found' } },
        });
        expect(writes()).toHaveLength(0);
      },
    );

    it.each(everyRoute('tenant1-user'))('refuses a plain user on $routeKey with 403', async (route) => {
      // Act
      const response = await call({ ...route, token: await tokenOf('tenant1-user') });

      // Assess
      expect(response.statusCode).toBe(403);
      expect((response.body.error as { code: string }).code).toBe('ADMIN_ROLE_REQUIRED');
      expect(writes()).toHaveLength(0);
    });

    it('refuses a member of another tenant’s admin group: their own tenant’s admin group is what counts', async () => {
      // Act
      const response = await call({
        ...onUser('POST', '/disable', 'tenant2-user'),
        token: await tokenOf('tenant1-odd'),
      });

      // Assess
      expect(response.statusCode).toBe(403);
      expect(writes()).toHaveLength(0);
    });

    it('refuses a tenant named in the query (400): the token’s tenant is the only one', async () => {
      // Act
      const response = await call({
        method: 'GET',
        routeKey: 'GET /admin/users',
        token: await tokenOf('tenant1-admin'),
        queryStringParameters: { tenantId: 'tenant2' },
      });

      // Assess
      expect(response.statusCode).toBe(400);
      expect(cognitoMock.commandCalls(ListUsersInGroupCommand)).toHaveLength(0);
    });

    it('refuses a tenant admin granting anyone, themselves included, platform admin (403)', async () => {
      // Act
      const response = await call({
        ...onUser('POST', '/roles', 'tenant1-admin'),
        token: await tokenOf('tenant1-admin'),
        body: { role: 'platform-admin' },
      });

      // Assess
      expect(response).toEqual({
        statusCode: 403,
        body: {
          error: {
            code: 'ROLE_NOT_GRANTABLE',
            message: 'The platform admin role cannot be granted through the admin API',
          },
        },
      });
      expect(writes()).toHaveLength(0);
    });

    it.each([
      ['disable', onUser('POST', '/disable', 'tenant1-admin')],
      ['delete', onUser('DELETE', '', 'tenant1-admin')],
      [
        'revoke',
        {
          method: 'DELETE',
          routeKey: 'DELETE /admin/users/{username}/roles/{role}',
          path: '/admin/users/tenant1-admin/roles/tenant-admin',
          pathParameters: { username: 'tenant1-admin', role: 'tenant-admin' },
        },
      ],
    ])('refuses a tenant admin who would %s themselves (409)', async (_, route) => {
      // Act
      const response = await call({ ...route, token: await tokenOf('tenant1-admin') });

      // Assess
      expect(response.statusCode).toBe(409);
      expect(writes()).toHaveLength(0);
    });

    it.each(everyRoute('tenant1-user'))(
      'refuses forged and tenant-less tokens on $routeKey',
      async (route) => {
        // Prepare
        const forged = badTokens.algNone({
          sub: users['tenant1-admin']?.sub,
          'cognito:username': 'tenant1-admin',
          tenantId: 'tenant1',
        });

        // Act
        const withForged = await call({ ...route, token: forged });
        const tenantless = await call({ ...route, token: await tokenOf('tenant1-admin', null) });

        // Assess
        expect(withForged.statusCode).toBe(401);
        expect(tenantless.statusCode).toBe(403);
        expect(writes()).toHaveLength(0);
      },
    );
  });
});
