import type { TenantId } from './identity';

/**
 * Cognito group names: one home for the rules that decide who a user is to the admin API.
 * - `tenant-<tenantId>`: every user of a tenant (its user group);
 * - `admin-<tenantId>`: the tenant's administrators (they manage users of that tenant only);
 * - `platform-admins`: pool-wide platform administrators (they manage tenants).
 * The prefixes differ, so no tenant id can make one kind of group look like another.
 */
export const TENANT_GROUP_PREFIX = 'tenant-';
export const TENANT_ADMIN_GROUP_PREFIX = 'admin-';
export const PLATFORM_ADMIN_GROUP = 'platform-admins';

/** The group of a tenant's users. @example tenantGroupName('acme') // 'tenant-acme' */
export const tenantGroupName = (tenantId: TenantId | string): string => `${TENANT_GROUP_PREFIX}${tenantId}`;

/** The group of a tenant's administrators. @example tenantAdminGroupName('acme') // 'admin-acme' */
export const tenantAdminGroupName = (tenantId: TenantId | string): string =>
  `${TENANT_ADMIN_GROUP_PREFIX}${tenantId}`;

/** What a signed-in user may administer. */
export interface AdminRoles {
  /** Member of `platform-admins`: create, update, suspend, resume and offboard tenants. */
  readonly platformAdmin: boolean;
  /** Member of `admin-<own tenant>`: manage the users of the tenant of their own token. */
  readonly tenantAdmin: boolean;
}

/**
 * The roles a user of `tenantId` holds, given their groups. Only the admin group of the user's own
 * tenant counts; a membership of another tenant's admin group grants nothing.
 * @example adminRolesOf('acme', ['tenant-acme', 'admin-acme']) // { platformAdmin: false, tenantAdmin: true }
 */
export const adminRolesOf = (tenantId: TenantId | string, groups: readonly string[]): AdminRoles => ({
  platformAdmin: groups.includes(PLATFORM_ADMIN_GROUP),
  tenantAdmin: groups.includes(tenantAdminGroupName(tenantId)),
});

/**
 * True when a user of `tenantId` is in a group of another tenant (user or admin group): such a
 * user must not sign in.
 */
export const inForeignTenantGroup = (tenantId: TenantId | string, groups: readonly string[]): boolean =>
  groups.some(
    (group) =>
      (group.startsWith(TENANT_GROUP_PREFIX) && group !== tenantGroupName(tenantId)) ||
      (group.startsWith(TENANT_ADMIN_GROUP_PREFIX) && group !== tenantAdminGroupName(tenantId)),
  );
