import {
  type StoredTenant,
  TENANT_ADMIN_ROLE,
  type TenantPage,
  type TenantUserPage,
  type TenantUserView,
} from '@tenant-assistant/contracts/admin';
import { TENANT_STATUSES } from '@tenant-assistant/contracts/events';
import { TENANT_TIERS, type TenantTier } from '@tenant-assistant/tenant-context/tiers';
import * as z from 'zod';
import { ApiError, type WebError } from '../errors';
import { commonErrorOf, createHttpClient, type HttpClientDeps, readFailure } from '../http-client';

/** Users per page of the Users screen (the admin API allows 1–60). */
export const USERS_PAGE_SIZE = 20;
/** Tenants per page of the Tenants screen (the admin API allows 1–100). */
export const TENANTS_PAGE_SIZE = 20;

/** What a tenant admin invites: the username the person signs in with and where the invitation goes. */
export interface Invitation {
  readonly username: string;
  readonly email: string;
}

/** A tenant's editable definition. */
export interface TenantFields {
  readonly name: string;
  readonly returnPolicyDays: number;
  readonly tier: TenantTier;
}

/** A new tenant: its id, definition and the first tenant admin invited into it. */
export interface NewTenant extends TenantFields {
  readonly tenantId: string;
  readonly firstAdmin: Invitation;
}

/** auth's admin API as the admin area uses it; every error is a WebError with a sentence for the user. */
export interface AdminClient {
  listUsers(cursor?: string): Promise<TenantUserPage>;
  inviteUser(invitation: Invitation): Promise<TenantUserView>;
  resendInvitation(username: string): Promise<TenantUserView>;
  setUserEnabled(username: string, enabled: boolean): Promise<TenantUserView>;
  deleteUser(username: string): Promise<void>;
  resetMfa(username: string): Promise<TenantUserView>;
  setTenantAdmin(username: string, admin: boolean): Promise<TenantUserView>;
  listTenants(cursor?: string): Promise<TenantPage>;
  getTenant(tenantId: string): Promise<StoredTenant>;
  createTenant(tenant: NewTenant): Promise<StoredTenant>;
  updateTenant(tenantId: string, fields: Partial<TenantFields>): Promise<StoredTenant>;
  setTenantSuspended(tenantId: string, suspended: boolean): Promise<StoredTenant>;
  /** `confirm` must repeat the tenant id (the API refuses anything else). */
  offboardTenant(tenantId: string, confirm: string): Promise<StoredTenant>;
}

const optionalString = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

const userSchema = z
  .looseObject({
    username: z.string().min(1),
    userId: optionalString,
    email: optionalString,
    status: optionalString,
    enabled: z.boolean(),
    createdAt: optionalString,
    tenantAdmin: z.boolean(),
  })
  .transform(
    (user): TenantUserView => ({
      username: user.username,
      userId: user.userId,
      email: user.email,
      status: user.status,
      enabled: user.enabled,
      createdAt: user.createdAt,
      tenantAdmin: user.tenantAdmin,
    }),
  );

const nextCursorOf = (cursor: string | null | undefined) => (cursor ? { nextCursor: cursor } : {});

const usersPageSchema = z
  .looseObject({ items: z.array(userSchema), nextCursor: z.string().min(1).nullish() })
  .transform((page): TenantUserPage => ({ items: page.items, ...nextCursorOf(page.nextCursor) }));

/** The fields the screens read of a registry item (live or tombstone); the rest is kept as sent. */
const tenantSchema = z
  .looseObject({
    tenantId: z.string().min(1),
    status: z.enum(TENANT_STATUSES),
    name: z.string().optional(),
    returnPolicyDays: z.number().optional(),
    tier: z.enum(TENANT_TIERS).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .transform((tenant) => tenant as unknown as StoredTenant);

const tenantsPageSchema = z
  .looseObject({ items: z.array(tenantSchema), nextCursor: z.string().min(1).nullish() })
  .transform((page): TenantPage => ({ items: page.items, ...nextCursorOf(page.nextCursor) }));

/** `POST /admin/tenants` answers `{tenant, created, firstAdmin}`. */
const createdTenantSchema = z.looseObject({ tenant: tenantSchema }).transform(({ tenant }) => tenant);

/** What an admin reads when the API says their role does not allow it (or no longer does). */
export const ADMIN_ROLE_MESSAGE =
  'Your account does not have the administrator role for this. Sign out and in again if it was just changed.';

/**
 * Turns a non-2xx answer of the admin API into an error: the shared ones (401, 429, 503, 5xx), and
 * for any other 4xx the envelope's message (the admin API writes its 4xx messages for the caller,
 * e.g. "User ann not found", "You cannot disable your own account"); a missing role reads
 * {@link ADMIN_ROLE_MESSAGE}.
 */
export const adminErrorFromResponse = async (response: Response): Promise<WebError> => {
  const failure = await readFailure(response);
  const common = commonErrorOf(failure);
  if (common) return common;
  const { status, code, serverMessage, body } = failure;
  const message =
    code === 'ADMIN_ROLE_REQUIRED'
      ? ADMIN_ROLE_MESSAGE
      : serverMessage
        ? `${serverMessage.replace(/\.$/, '')}.`
        : `The request failed (HTTP ${status}).`;
  return new ApiError(status, code, message, body);
};

const segment = encodeURIComponent;

/**
 * The admin API client (auth's `AdminApiUrl`). Tenant admins' routes never name a tenant: the API
 * takes it from the caller's token, so nothing here can point them at another tenant.
 * @example await createAdminClient({ baseUrl, fetch, getIdToken }).listUsers();
 */
export const createAdminClient = (deps: HttpClientDeps): AdminClient => {
  const { request, parse } = createHttpClient(deps, adminErrorFromResponse);
  const page = (path: string, limit: number, cursor?: string) =>
    `${path}?${new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) }).toString()}`;
  const user = (username: string, action = '') => `/admin/users/${segment(username)}${action}`;
  const tenant = (tenantId: string, action = '') => `/admin/tenants/${segment(tenantId)}${action}`;

  return {
    async listUsers(cursor) {
      return parse(usersPageSchema, await request('GET', page('/admin/users', USERS_PAGE_SIZE, cursor)));
    },
    async inviteUser({ username, email }) {
      return parse(
        userSchema,
        await request('POST', '/admin/users', { username: username.trim(), email: email.trim() }),
      );
    },
    async resendInvitation(username) {
      return parse(userSchema, await request('POST', user(username, '/resend-invitation')));
    },
    async setUserEnabled(username, enabled) {
      return parse(userSchema, await request('POST', user(username, enabled ? '/enable' : '/disable')));
    },
    async deleteUser(username) {
      await request('DELETE', user(username));
    },
    async resetMfa(username) {
      return parse(userSchema, await request('POST', user(username, '/reset-mfa')));
    },
    async setTenantAdmin(username, admin) {
      return parse(
        userSchema,
        admin
          ? await request('POST', user(username, '/roles'), { role: TENANT_ADMIN_ROLE })
          : await request('DELETE', user(username, `/roles/${TENANT_ADMIN_ROLE}`)),
      );
    },
    async listTenants(cursor) {
      return parse(
        tenantsPageSchema,
        await request('GET', page('/admin/tenants', TENANTS_PAGE_SIZE, cursor)),
      );
    },
    async getTenant(tenantId) {
      return parse(tenantSchema, await request('GET', tenant(tenantId)));
    },
    async createTenant(input) {
      return parse(createdTenantSchema, await request('POST', '/admin/tenants', input));
    },
    async updateTenant(tenantId, fields) {
      return parse(tenantSchema, await request('PATCH', tenant(tenantId), fields));
    },
    async setTenantSuspended(tenantId, suspended) {
      return parse(tenantSchema, await request('POST', tenant(tenantId, suspended ? '/suspend' : '/resume')));
    },
    async offboardTenant(tenantId, confirm) {
      return parse(tenantSchema, await request('POST', tenant(tenantId, '/offboard'), { confirm }));
    },
  };
};
