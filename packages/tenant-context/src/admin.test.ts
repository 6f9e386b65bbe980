import type { Logger } from '@aws-lambda-powertools/logger';
import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import middy from '@middy/core';
import {
  captureLogs,
  createTestIssuer,
  httpApiEvent,
  type LogLine,
  lambdaContext,
  randomUserId,
  type TestIssuer,
} from '@tenant-assistant/testing';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type AdminCaller,
  type AdminHttpEvent,
  cognitoGroupsOf,
  type GroupsOf,
  httpAdminContext,
  requirePlatformAdmin,
  requireTenantAdmin,
  type WithAdminCaller,
} from './admin';
import { createLogger } from './logger';
import { createTokenVerifier, type TokenVerifier } from './tokens';

const cognito = mockClient(CognitoIdentityProviderClient);

const tenantKeysOf = (line: LogLine | undefined) => ({ tenant_id: line?.tenant_id, user_id: line?.user_id });

const caller = (roles: Partial<AdminCaller['roles']>): AdminCaller => ({
  tenant: { tenantId: 'tenant-a', userId: randomUserId() } as AdminCaller['tenant'],
  username: 'alice',
  roles: { platformAdmin: false, tenantAdmin: false, ...roles },
});

describe('httpAdminContext', () => {
  let issuer: TestIssuer;
  let verifier: TokenVerifier;
  let logger: Logger;
  let groups: Record<string, string[]>;
  let seen: AdminCaller[];
  let lookups: string[];

  const groupsOf: GroupsOf = async (username) => {
    lookups.push(username);
    return groups[username];
  };

  const makeHandler = (options: { fail?: boolean } = {}) => {
    const handler = middy(async (event: WithAdminCaller<AdminHttpEvent>) => {
      seen.push(event.caller);
      logger.info('handling');
      if (options.fail) throw new Error('handler failed');
      return { statusCode: 200 };
    }).use(httpAdminContext({ verifier, groupsOf: () => groupsOf, logger }));
    return (event: AdminHttpEvent, context: Context) =>
      handler(event as WithAdminCaller<AdminHttpEvent>, context);
  };

  const get = (token?: string) =>
    httpApiEvent({ method: 'GET', path: '/usage', ...(token ? { token } : {}) }) as AdminHttpEvent;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    verifier = createTokenVerifier(issuer.preloaded);
  });

  beforeEach(() => {
    logger = createLogger({ serviceName: 'admin-test' });
    groups = {};
    seen = [];
    lookups = [];
  });

  it("sets the caller from the verified token and the user's groups, and logs their tenant", async () => {
    // Prepare
    const sub = randomUserId();
    groups.alice = ['tenant-tenant-a', 'admin-tenant-a'];
    const token = await issuer.idToken({ sub, tenantId: 'tenant-a', username: 'alice' });

    // Act
    const { error, lines } = await captureLogs(() => makeHandler()(get(token), lambdaContext()));

    // Assess
    expect(error).toBeUndefined();
    expect(seen).toEqual([
      {
        tenant: { tenantId: 'tenant-a', userId: sub },
        username: 'alice',
        roles: { platformAdmin: false, tenantAdmin: true },
      },
    ]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: 'tenant-a', user_id: sub });
  });

  it('reads the groups on every request, so a revoked role takes effect at once', async () => {
    // Prepare
    groups.alice = ['platform-admins'];
    const token = await issuer.idToken({ tenantId: 'tenant-a', username: 'alice' });
    const handler = makeHandler();
    await handler(get(token), lambdaContext());
    groups.alice = [];

    // Act
    await handler(get(token), lambdaContext());

    // Assess
    expect(lookups).toEqual(['alice', 'alice']);
    expect(seen.map((c) => c.roles.platformAdmin)).toEqual([true, false]);
  });

  it("grants nothing for membership of another tenant's admin group", async () => {
    // Prepare
    groups.mallory = ['tenant-tenant-a', 'admin-tenant-b'];
    const token = await issuer.idToken({ tenantId: 'tenant-a', username: 'mallory' });

    // Act
    await makeHandler()(get(token), lambdaContext());

    // Assess
    expect(seen[0]?.roles).toEqual({ platformAdmin: false, tenantAdmin: false });
  });

  it('removes the tenant log keys after the invocation, also when the handler fails', async () => {
    // Prepare
    groups.alice = [];
    const token = await issuer.idToken({ tenantId: 'tenant-a', username: 'alice' });

    // Act
    const failed = await captureLogs(() => makeHandler({ fail: true })(get(token), lambdaContext()));
    const after = await captureLogs(async () => logger.info('next invocation'));

    // Assess
    expect(failed.error).toMatchObject({ message: 'handler failed' });
    expect(tenantKeysOf(after.lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('reads the username of an access token and works without a logger', async () => {
    // Prepare
    groups.bob = ['admin-tenant-a'];
    const token = await issuer.accessToken({ tenantId: 'tenant-a', username: 'bob' });
    const handler = middy(async (event: WithAdminCaller<AdminHttpEvent>) => {
      seen.push(event.caller);
      return { statusCode: 200 };
    }).use(httpAdminContext({ verifier, groupsOf: () => groupsOf }));

    // Act
    await handler({ headers: { Authorization: `Bearer ${token}` } } as never, lambdaContext());
    const failed = await handler({ headers: null } as never, lambdaContext()).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(seen.map((c) => [c.username, c.roles.tenantAdmin])).toEqual([['bob', true]]);
    expect(failed).toMatchObject({ statusCode: 401 });
  });

  describe('refusals', () => {
    it('refuses a request without a bearer token (401) and looks nothing up', async () => {
      // Act
      const { error } = await captureLogs(() => makeHandler()(get(), lambdaContext()));

      // Assess
      expect(error).toMatchObject({ name: 'UnauthorizedError', statusCode: 401 });
      expect(lookups).toEqual([]);
    });

    it('refuses a token signed by another issuer (401)', async () => {
      // Prepare
      const stranger = await createTestIssuer();
      const token = await stranger.idToken({ tenantId: 'tenant-a', username: 'alice' });
      groups.alice = ['platform-admins'];

      // Act
      const { error } = await captureLogs(() => makeHandler()(get(token), lambdaContext()));

      // Assess
      expect(error).toMatchObject({ statusCode: 401 });
      expect(seen).toEqual([]);
    });

    it('refuses a valid token without a tenant (403)', async () => {
      // Prepare
      const token = await issuer.idToken({ tenantId: null, username: 'alice' });
      groups.alice = ['platform-admins'];

      // Act
      const { error } = await captureLogs(() => makeHandler()(get(token), lambdaContext()));

      // Assess
      expect(error).toMatchObject({ statusCode: 403 });
      expect(seen).toEqual([]);
    });

    it("refuses a token whose subject differs from the authorizer's (401)", async () => {
      // Prepare
      const token = await issuer.idToken({ tenantId: 'tenant-a', username: 'alice' });
      groups.alice = ['platform-admins'];
      const event = get(token);
      event.requestContext = { authorizer: { jwt: { claims: { sub: randomUserId() } } } };

      // Act
      const { error } = await captureLogs(() => makeHandler()(event, lambdaContext()));

      // Assess
      expect(error).toMatchObject({ statusCode: 401, message: 'Token does not match the authorizer' });
    });

    it('refuses a token that names no user (401)', async () => {
      // Prepare
      const token = await issuer.idToken({ tenantId: 'tenant-a', username: '' });

      // Act
      const { error } = await captureLogs(() => makeHandler()(get(token), lambdaContext()));

      // Assess
      expect(error).toMatchObject({ statusCode: 401 });
      expect(lookups).toEqual([]);
    });

    it('refuses a user who no longer exists (401)', async () => {
      // Prepare
      const token = await issuer.idToken({ tenantId: 'tenant-a', username: 'gone' });

      // Act
      const { error } = await captureLogs(() => makeHandler()(get(token), lambdaContext()));

      // Assess
      expect(error).toMatchObject({ statusCode: 401, message: 'The signed-in user no longer exists' });
      expect(lookups).toEqual(['gone']);
      expect(seen).toEqual([]);
    });
  });
});

describe('cognitoGroupsOf', () => {
  beforeEach(() => cognito.reset());

  it("reads every page of the user's groups", async () => {
    // Prepare
    cognito
      .on(AdminListGroupsForUserCommand)
      .resolvesOnce({ Groups: [{ GroupName: 'tenant-a' }, {}], NextToken: 'page-2' })
      .resolvesOnce({ Groups: [{ GroupName: 'platform-admins' }] });

    // Act
    const groups = await cognitoGroupsOf(new CognitoIdentityProviderClient({}), 'pool-1')('alice');

    // Assess
    expect(groups).toEqual(['tenant-a', 'platform-admins']);
    expect(cognito.commandCalls(AdminListGroupsForUserCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: 'pool-1', Username: 'alice', Limit: 60 },
      { UserPoolId: 'pool-1', Username: 'alice', Limit: 60, NextToken: 'page-2' },
    ]);
  });

  it('answers undefined for a user that does not exist', async () => {
    // Prepare
    cognito
      .on(AdminListGroupsForUserCommand)
      .rejects(Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' }));

    // Act
    const groups = await cognitoGroupsOf(new CognitoIdentityProviderClient({}), 'pool-1')('gone');

    // Assess
    expect(groups).toBeUndefined();
  });

  it('throws any other failure as it is', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    cognito.on(AdminListGroupsForUserCommand).rejects(throttled);

    // Act
    const lookup = cognitoGroupsOf(new CognitoIdentityProviderClient({}), 'pool-1')('alice');

    // Assess
    await expect(lookup).rejects.toBe(throttled);
  });
});

describe('requirePlatformAdmin', () => {
  it('lets a platform admin through and refuses a tenant admin (403)', () => {
    // Act / Assess
    expect(() => requirePlatformAdmin(caller({ platformAdmin: true }))).not.toThrow();
    expect(() => requirePlatformAdmin(caller({ tenantAdmin: true }))).toThrow(
      expect.objectContaining({
        name: 'AdminRoleRequiredError',
        statusCode: 403,
        code: 'ADMIN_ROLE_REQUIRED',
      }),
    );
  });
});

describe('requireTenantAdmin', () => {
  it("returns the tenant of the admin's own token and refuses a platform admin who is no tenant admin (403)", () => {
    // Act / Assess
    expect(requireTenantAdmin(caller({ tenantAdmin: true }))).toBe('tenant-a');
    expect(() => requireTenantAdmin(caller({ platformAdmin: true }))).toThrow(
      expect.objectContaining({ name: 'AdminRoleRequiredError', statusCode: 403 }),
    );
  });
});
