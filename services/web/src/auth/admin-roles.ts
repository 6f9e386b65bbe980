import { type AdminRoles, adminRolesOf, tenantContextFromClaims } from '@tenant-assistant/tenant-context';
import { decodeJwtPayload } from './claims';

/** The ID token claim in which Cognito lists the user's groups. */
export const GROUPS_CLAIM = 'cognito:groups';

/** No admin role at all. */
export const NO_ADMIN_ROLES: AdminRoles = Object.freeze({ platformAdmin: false, tenantAdmin: false });

/**
 * The admin roles an ID token shows, by tenant-context's rule ({@link adminRolesOf}: only the admin
 * group of the token's own tenant counts) applied to the token's `cognito:groups`. The app uses it
 * only to decide which screens to offer; the admin API reads the groups from Cognito on every
 * request and refuses anyone else, so a forged or stale token shows a screen and nothing more.
 * @example adminRolesOfIdToken(await auth.getIdToken()).tenantAdmin
 */
export const adminRolesOfIdToken = (idToken: string): AdminRoles => {
  const claims = decodeJwtPayload(idToken);
  if (!claims) return NO_ADMIN_ROLES;
  let tenantId: string;
  try {
    tenantId = tenantContextFromClaims(claims).tenantId;
  } catch {
    return NO_ADMIN_ROLES;
  }
  const groups = claims[GROUPS_CLAIM];
  const names = Array.isArray(groups)
    ? groups.filter((group): group is string => typeof group === 'string')
    : [];
  return adminRolesOf(tenantId, names);
};

/** Whether the roles allow any admin screen (Usage, Admin). */
export const isAnyAdmin = (roles: AdminRoles): boolean => roles.platformAdmin || roles.tenantAdmin;
