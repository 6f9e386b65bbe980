import type { TenantUserView } from '@tenant-assistant/contracts/admin';
import { type ApiError, SessionExpiredError } from '../errors';
import { ADMIN_ROLE_MESSAGE, createAdminClient, TENANTS_PAGE_SIZE, USERS_PAGE_SIZE } from './admin-client';

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

const USER: TenantUserView = {
  username: 'ann',
  userId: '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c',
  email: 'ann@example.com',
  status: 'FORCE_CHANGE_PASSWORD',
  enabled: true,
  createdAt: '2026-03-01T10:00:00.000Z',
  tenantAdmin: false,
};

const TENANT = {
  tenantId: 'acme',
  name: 'Acme',
  returnPolicyDays: 30,
  tier: 'standard',
  status: 'ACTIVE',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
};

const setup = (...responses: Response[]) => {
  const fetchFn = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      responses.shift() ?? json(500, { error: { code: 'X', message: 'x' } }),
  );
  const onUnauthorized = jest.fn();
  const admin = createAdminClient({
    baseUrl: 'https://admin.example.com',
    fetch: fetchFn as unknown as typeof fetch,
    getIdToken: async () => 'id-token',
    onUnauthorized,
    sleep: async () => undefined,
  });
  const calls = () =>
    fetchFn.mock.calls.map(([url, init]) => ({
      method: init?.method,
      url,
      body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      authorization: (init?.headers as Record<string, string>)?.authorization,
    }));
  return { admin, calls, onUnauthorized };
};

describe('createAdminClient', () => {
  describe('users of the tenant of the token', () => {
    it('lists a page with the Bearer token, passing the cursor back, and never names a tenant', async () => {
      // Prepare
      const { admin, calls } = setup(
        json(200, { items: [USER], nextCursor: 'page-2' }),
        json(200, { items: [{ ...USER, username: 'bob', email: null }] }),
      );
      // Act
      const first = await admin.listUsers();
      const second = await admin.listUsers(first.nextCursor);
      // Assess
      expect(first).toEqual({ items: [USER], nextCursor: 'page-2' });
      expect(second).toEqual({ items: [{ ...USER, username: 'bob', email: undefined }] });
      expect(calls().map(({ method, url, authorization }) => [method, url, authorization])).toEqual([
        ['GET', `https://admin.example.com/admin/users?limit=${USERS_PAGE_SIZE}`, 'Bearer id-token'],
        [
          'GET',
          `https://admin.example.com/admin/users?limit=${USERS_PAGE_SIZE}&cursor=page-2`,
          'Bearer id-token',
        ],
      ]);
    });

    it('invites with username and email only (the answer carries no password)', async () => {
      // Prepare
      const { admin, calls } = setup(json(201, USER));
      // Act
      const invited = await admin.inviteUser({ username: ' ann ', email: 'ann@example.com ' });
      // Assess
      expect(calls()[0]).toMatchObject({
        method: 'POST',
        url: 'https://admin.example.com/admin/users',
        body: { username: 'ann', email: 'ann@example.com' },
      });
      expect(invited).toEqual(USER);
    });

    it('sends each user action to its route, the username URL-encoded', async () => {
      // Prepare
      const name = 'ann+ops@example.com';
      const { admin, calls } = setup(
        json(200, USER),
        json(200, USER),
        json(200, USER),
        json(200, USER),
        json(200, USER),
        json(200, USER),
        json(204),
      );
      // Act
      await admin.resendInvitation(name);
      await admin.setUserEnabled(name, false);
      await admin.setUserEnabled(name, true);
      await admin.resetMfa(name);
      await admin.setTenantAdmin(name, true);
      await admin.setTenantAdmin(name, false);
      await expect(admin.deleteUser(name)).resolves.toBeUndefined();
      // Assess
      const path = `https://admin.example.com/admin/users/${encodeURIComponent(name)}`;
      expect(calls().map(({ method, url, body }) => [method, url, body])).toEqual([
        ['POST', `${path}/resend-invitation`, undefined],
        ['POST', `${path}/disable`, undefined],
        ['POST', `${path}/enable`, undefined],
        ['POST', `${path}/reset-mfa`, undefined],
        ['POST', `${path}/roles`, { role: 'tenant-admin' }],
        ['DELETE', `${path}/roles/tenant-admin`, undefined],
        ['DELETE', path, undefined],
      ]);
    });
  });

  describe('tenants', () => {
    it('lists, creates, edits, suspends, resumes and offboards with the typed confirmation', async () => {
      // Prepare
      const { admin, calls } = setup(
        json(200, { items: [TENANT] }),
        json(201, { tenant: TENANT, created: true, firstAdmin: { username: 'boss' } }),
        json(200, { ...TENANT, name: 'Acme Ltd' }),
        json(200, { ...TENANT, status: 'SUSPENDED' }),
        json(200, TENANT),
        json(202, { ...TENANT, status: 'OFFBOARDING', offboarding: { requestedAt: 'x', services: {} } }),
      );
      const created = {
        tenantId: 'acme',
        name: 'Acme',
        returnPolicyDays: 30,
        tier: 'standard' as const,
        firstAdmin: { username: 'boss', email: 'boss@acme.example' },
      };
      // Act
      const page = await admin.listTenants();
      const tenant = await admin.createTenant(created);
      const edited = await admin.updateTenant('acme', { name: 'Acme Ltd' });
      const suspended = await admin.setTenantSuspended('acme', true);
      await admin.setTenantSuspended('acme', false);
      const offboarding = await admin.offboardTenant('acme', 'acme');
      // Assess
      expect(page).toEqual({ items: [TENANT] });
      expect(tenant).toEqual(TENANT);
      expect(edited).toMatchObject({ name: 'Acme Ltd' });
      expect(suspended.status).toBe('SUSPENDED');
      expect(offboarding.status).toBe('OFFBOARDING');
      expect(calls().map(({ method, url, body }) => [method, url, body])).toEqual([
        ['GET', `https://admin.example.com/admin/tenants?limit=${TENANTS_PAGE_SIZE}`, undefined],
        ['POST', 'https://admin.example.com/admin/tenants', created],
        ['PATCH', 'https://admin.example.com/admin/tenants/acme', { name: 'Acme Ltd' }],
        ['POST', 'https://admin.example.com/admin/tenants/acme/suspend', undefined],
        ['POST', 'https://admin.example.com/admin/tenants/acme/resume', undefined],
        ['POST', 'https://admin.example.com/admin/tenants/acme/offboard', { confirm: 'acme' }],
      ]);
    });

    it('reads the tombstone of an offboarded tenant', async () => {
      const tombstone = {
        tenantId: 'gone',
        status: 'OFFBOARDED',
        offboarding: { requestedAt: 'x', services: {}, completedAt: 'y' },
        createdAt: 'a',
        updatedAt: 'b',
      };
      const { admin } = setup(json(200, tombstone));
      await expect(admin.getTenant('gone')).resolves.toEqual(tombstone);
    });
  });

  describe('errors', () => {
    it("shows the admin API's own 4xx message in plain words, with its code", async () => {
      // Prepare
      const { admin } = setup(
        json(404, { error: { code: 'USER_NOT_FOUND', message: 'User tenant2-user not found' } }),
        json(409, { error: { code: 'SELF_CHANGE_REFUSED', message: 'You cannot disable your own account' } }),
        json(400, {
          error: {
            code: 'INVALID_INPUT',
            message: 'Invalid inviteUser input: email: must be an email address',
          },
        }),
      );
      // Act
      const failed = (promise: Promise<unknown>) =>
        promise.then(() => undefined).catch((error: ApiError) => error);
      const errors = [
        await failed(admin.getTenant('x')),
        await failed(admin.setUserEnabled('me', false)),
        await failed(admin.inviteUser({ username: 'a', email: 'b' })),
      ];
      // Assess
      expect(errors.map((error) => [error?.statusCode, error?.code, error?.userMessage])).toEqual([
        [404, 'USER_NOT_FOUND', 'User tenant2-user not found.'],
        [409, 'SELF_CHANGE_REFUSED', 'You cannot disable your own account.'],
        [400, 'INVALID_INPUT', 'Invalid inviteUser input: email: must be an email address.'],
      ]);
    });

    it('says the role is missing on 403 ADMIN_ROLE_REQUIRED', async () => {
      const { admin } = setup(
        json(403, {
          error: { code: 'ADMIN_ROLE_REQUIRED', message: 'This action requires the platform admin role' },
        }),
      );
      const error = (await admin.listTenants().catch((caught: unknown) => caught)) as ApiError;
      expect([error.statusCode, error.userMessage]).toEqual([403, ADMIN_ROLE_MESSAGE]);
    });

    it('never shows the message of a 5xx, and turns 401 into "session expired"', async () => {
      // Prepare
      const { admin, onUnauthorized } = setup(
        json(500, {
          error: { code: 'INTERNAL', message: 'Cognito ListUsersInGroup failed (secret detail)' },
        }),
        json(401, { error: { code: 'UNAUTHORIZED', message: 'The signed-in user no longer exists' } }),
      );
      // Act
      const server = (await admin.listUsers().catch((caught: unknown) => caught)) as ApiError;
      const expired = await admin.listUsers().catch((caught: unknown) => caught);
      // Assess
      expect(server.userMessage).not.toContain('secret');
      expect(server.userMessage).toBe('Something went wrong on our side. Please try again in a moment.');
      expect(expired).toBeInstanceOf(SessionExpiredError);
      expect(onUnauthorized).toHaveBeenCalledTimes(1);
    });

    it('refuses an answer that is not a page of users', async () => {
      const { admin } = setup(json(200, { items: [{ username: 'ann' }] }));
      await expect(admin.listUsers()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    });
  });
});
