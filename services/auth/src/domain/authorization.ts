import { AdminRoleRequiredError } from '../errors';
import type { AdminCaller } from '../http/admin-context';

/** Refuses (403) a caller who is not a platform admin. */
export const requirePlatformAdmin = (caller: AdminCaller): void => {
  if (!caller.roles.platformAdmin) throw new AdminRoleRequiredError('platform admin');
};

/**
 * Refuses (403) a caller who is not an admin of the tenant of their own token; returns that tenant,
 * the only one a tenant admin ever acts in.
 */
export const requireTenantAdmin = (caller: AdminCaller): string => {
  if (!caller.roles.tenantAdmin) throw new AdminRoleRequiredError('tenant admin');
  return caller.tenant.tenantId;
};
