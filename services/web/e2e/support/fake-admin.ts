import { randomUUID } from 'node:crypto';
import type { StoredTenant, TenantRecord, TenantUserView } from '@tenant-assistant/contracts/admin';
import {
  adminRolesOf,
  PLATFORM_ADMIN_GROUP,
  TENANT_TIERS,
  tenantAdminGroupName,
  tenantGroupName,
} from '@tenant-assistant/tenant-context';
import type { BrowserContext, Route } from 'playwright-core';
import { CORS, type FakeUser, fakeUser, subOfToken } from './fake-backend';

/**
 * A fake of auth's admin API behind a Playwright route, for the admin screens without the local
 * stack: the same routes, roles (tenant-context's rule on the user's groups), error envelope and
 * refusals — a tenant admin only ever reaches users of their own tenant; another tenant's user is
 * "not found". Invitations go to `mailbox` with a temporary password, as Cognito would mail it.
 */
export interface FakeAdminOptions {
  readonly adminApiUrl: string;
  /** The same list the fake Cognito signs in from: invited users join it. */
  readonly users: FakeUser[];
  readonly tenants: TenantRecord[];
  /** Delay of every answer (ms), to see buttons disabled while a request is in flight. */
  readonly delayMs?: number;
}

/** A user with an admin role in their token (groups named by tenant-context, as the seed does). */
export const fakeAdmin = (username: string, tenantId: string, role: 'tenant' | 'platform'): FakeUser => ({
  ...fakeUser(username, tenantId),
  groups: [
    tenantGroupName(tenantId),
    role === 'tenant' ? tenantAdminGroupName(tenantId) : PLATFORM_ADMIN_GROUP,
  ],
});

/** A tenant as the registry keeps it. */
export const fakeTenant = (tenantId: string, returnPolicyDays = 30): TenantRecord => ({
  tenantId: tenantId as TenantRecord['tenantId'],
  name: `Tenant ${tenantId}`,
  returnPolicyDays,
  tier: 'basic',
  status: 'ACTIVE',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
});

type Reply = { status: number; body?: unknown };
const fail = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

/** Offset cursors over a sorted list, like the API's opaque ones. */
const paged = <T>(items: T[], url: URL) => {
  const limit = Number(url.searchParams.get('limit') ?? 25);
  const start = Number(url.searchParams.get('cursor') ?? 0);
  const end = start + limit;
  return { items: items.slice(start, end), ...(end < items.length ? { nextCursor: String(end) } : {}) };
};

export const installFakeAdminApi = async (context: BrowserContext, options: FakeAdminOptions) => {
  const seen: string[] = [];
  const bodies: { call: string; body: unknown }[] = [];
  const mailbox: { username: string; email: string; temporaryPassword: string }[] = [];
  const emails = new Map<string, string>();
  const disabled = new Set<string>();
  const { users, tenants } = options;

  const groupsOf = (user: FakeUser) => user.groups ?? [tenantGroupName(user.tenantId)];
  const view = (user: FakeUser): TenantUserView => ({
    username: user.username,
    userId: user.sub,
    email: emails.get(user.username) ?? `${user.username}@example.com`,
    status: user.mustChangePassword ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED',
    enabled: !disabled.has(user.username),
    createdAt: '2026-03-01T10:00:00.000Z',
    tenantAdmin: groupsOf(user).includes(tenantAdminGroupName(user.tenantId)),
  });
  const invite = (username: string, email: string, tenantId: string, admin: boolean): FakeUser => {
    const temporaryPassword = `Tmp-${randomUUID().slice(0, 8)}!`;
    const user = {
      ...fakeUser(username, tenantId, temporaryPassword),
      groups: [tenantGroupName(tenantId), ...(admin ? [tenantAdminGroupName(tenantId)] : [])],
    };
    users.push(user);
    emails.set(username, email);
    mailbox.push({ username, email, temporaryPassword });
    return user;
  };

  const usersRoute = (caller: FakeUser, method: string, url: URL, body: unknown): Reply => {
    if (!adminRolesOf(caller.tenantId, groupsOf(caller)).tenantAdmin)
      return fail(403, 'ADMIN_ROLE_REQUIRED', 'This action requires the tenant admin role');
    const own = users.filter((user) => user.tenantId === caller.tenantId);
    if (url.pathname === '/admin/users' && method === 'GET')
      return { status: 200, body: paged(own.map(view), url) };
    if (url.pathname === '/admin/users' && method === 'POST') {
      const { username, email, ...rest } = (body ?? {}) as { username?: string; email?: string };
      if (Object.keys(rest).length > 0 || !username || !/^\S+@\S+\.\S+$/.test(email ?? ''))
        return fail(400, 'INVALID_INPUT', 'Invalid inviteUser input: email: must be an email address');
      if (users.some((user) => user.username === username))
        return fail(409, 'USERNAME_TAKEN', `Username ${username} is already taken`);
      return { status: 201, body: view(invite(username, email as string, caller.tenantId, false)) };
    }
    const [, name = '', action = '', role] =
      /^\/admin\/users\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
    const username = decodeURIComponent(name);
    const user = own.find((candidate) => candidate.username === username);
    if (!user) return fail(404, 'USER_NOT_FOUND', `User ${username} not found`);
    const self = user.username === caller.username;
    const refuseSelf = (what: string) =>
      fail(409, 'SELF_CHANGE_REFUSED', `You cannot ${what} your own account`);
    const adminGroup = tenantAdminGroupName(caller.tenantId);
    switch (`${method} ${action}${role ? '/' : ''}${role ?? ''}`) {
      case 'GET ':
        return { status: 200, body: view(user) };
      case 'DELETE ':
        if (self) return refuseSelf('delete');
        users.splice(users.indexOf(user), 1);
        return { status: 204 };
      case 'POST resend-invitation': {
        if (!user.mustChangePassword)
          return fail(
            409,
            'USER_STATE_CONFLICT',
            `User ${username} has already signed in; there is no invitation to resend`,
          );
        user.password = `Tmp-${randomUUID().slice(0, 8)}!`;
        mailbox.push({ username, email: view(user).email ?? '', temporaryPassword: user.password });
        return { status: 200, body: view(user) };
      }
      case 'POST disable':
        if (self) return refuseSelf('disable');
        disabled.add(username);
        return { status: 200, body: view(user) };
      case 'POST enable':
        disabled.delete(username);
        return { status: 200, body: view(user) };
      case 'POST reset-mfa':
        delete user.totpSecret;
        return { status: 200, body: view(user) };
      case 'POST roles':
        user.groups = [...new Set([...groupsOf(user), adminGroup])];
        return { status: 200, body: view(user) };
      case 'DELETE roles/tenant-admin':
        if (self) return refuseSelf('revoke the admin role of');
        user.groups = groupsOf(user).filter((group) => group !== adminGroup);
        return { status: 200, body: view(user) };
      default:
        return fail(404, 'NOT_FOUND', 'Not found');
    }
  };

  const tenantsRoute = (caller: FakeUser, method: string, url: URL, body: unknown): Reply => {
    if (!adminRolesOf(caller.tenantId, groupsOf(caller)).platformAdmin)
      return fail(403, 'ADMIN_ROLE_REQUIRED', 'This action requires the platform admin role');
    const sorted = () => [...tenants].sort((a, b) => a.tenantId.localeCompare(b.tenantId));
    if (url.pathname === '/admin/tenants' && method === 'GET')
      return { status: 200, body: paged(sorted(), url) };
    if (url.pathname === '/admin/tenants' && method === 'POST') {
      const { firstAdmin, ...definition } = body as Omit<
        TenantRecord,
        'status' | 'createdAt' | 'updatedAt'
      > & {
        firstAdmin: { username: string; email: string };
      };
      if (!(TENANT_TIERS as readonly string[]).includes(definition.tier))
        return fail(400, 'INVALID_INPUT', 'Invalid createTenant input: tier: invalid option');
      if (tenants.some((tenant) => tenant.tenantId === definition.tenantId))
        return fail(409, 'TENANT_CONFLICT', `Tenant ${definition.tenantId} is already onboarded`);
      const tenant: TenantRecord = { ...fakeTenant(definition.tenantId), ...definition };
      tenants.push(tenant);
      invite(firstAdmin.username, firstAdmin.email, tenant.tenantId, true);
      return { status: 201, body: { tenant, created: true, firstAdmin } };
    }
    const [, id = '', action = ''] = /^\/admin\/tenants\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
    const tenant = tenants.find((candidate) => candidate.tenantId === decodeURIComponent(id));
    if (!tenant) return fail(404, 'TENANT_NOT_FOUND', `Tenant ${id} not found`);
    const changed = (changes: Partial<StoredTenant>): Reply => {
      Object.assign(tenant, changes, { updatedAt: new Date().toISOString() });
      return { status: 200, body: tenant };
    };
    switch (`${method} ${action}`) {
      case 'GET ':
        return { status: 200, body: tenant };
      case 'PATCH ':
        return changed(body as Partial<TenantRecord>);
      case 'POST suspend':
        return changed({ status: 'SUSPENDED' });
      case 'POST resume':
        return changed({ status: 'ACTIVE' });
      case 'POST offboard':
        if ((body as { confirm?: string } | undefined)?.confirm !== tenant.tenantId)
          return fail(
            400,
            'INVALID_INPUT',
            'Invalid offboardTenant input: confirm: must repeat the tenant id',
          );
        if (tenant.tenantId === caller.tenantId)
          return fail(409, 'SELF_CHANGE_REFUSED', 'You cannot offboard your own tenant');
        return { ...changed({ status: 'OFFBOARDING' }), status: 202 };
      default:
        return fail(404, 'NOT_FOUND', 'Not found');
    }
  };

  const api = async (route: Route) => {
    const request = route.request();
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
    const url = new URL(request.url());
    const call = `${request.method()} ${url.pathname}${url.search}`;
    seen.push(call);
    const body = request.postData() ? (request.postDataJSON() as unknown) : undefined;
    if (body !== undefined) bodies.push({ call, body });
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const caller = users.find(
      (user) => user.sub === subOfToken(/^Bearer (.+)$/.exec(request.headers().authorization ?? '')?.[1]),
    );
    const reply: Reply = !caller
      ? fail(401, 'UNAUTHORIZED', 'Missing or invalid token')
      : url.pathname.startsWith('/admin/users')
        ? usersRoute(caller, request.method(), url, body)
        : url.pathname.startsWith('/admin/tenants')
          ? tenantsRoute(caller, request.method(), url, body)
          : fail(404, 'NOT_FOUND', 'Not found');
    return route.fulfill({
      status: reply.status,
      headers: CORS,
      contentType: 'application/json',
      ...(reply.body === undefined ? {} : { body: JSON.stringify(reply.body) }),
    });
  };

  await context.route((url) => url.origin === new URL(options.adminApiUrl).origin, api);
  return { seen, bodies, mailbox, disabled };
};
