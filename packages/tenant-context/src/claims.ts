import { ForbiddenError, UnauthorizedError } from './errors';
import { isTenantId, isUserId, type TenantContext } from './identity';

/** The Cognito user attribute that holds a user's tenant: immutable, set once at creation. */
export const TENANT_ATTRIBUTE = 'custom:tenantId';
/** The claim the pre-token-generation trigger adds to ID and access tokens with the user's tenant. */
export const TENANT_CLAIM = 'tenantId';
/** The claim that names the user's tenant group (`tenant-<tenantId>`) when the user is in it. */
export const TENANT_ROLE_CLAIM = 'tenantRole';

/**
 * Reads the tenant context from token claims: `sub`, and `custom:tenantId` (ID tokens) or the
 * `tenantId` claim added by the pre-token-generation trigger. Both present but different, or neither
 * valid → ForbiddenError (403); an invalid `sub` → UnauthorizedError (401). Pure and browser-safe:
 * the services call it on verified claims, the web app on the claims it shows.
 *
 * @example tenantContextFromClaims({ sub, 'custom:tenantId': 'tenant1' })
 */
export const tenantContextFromClaims = (claims: Record<string, unknown>): TenantContext => {
  const { sub } = claims;
  if (!isUserId(sub)) throw new UnauthorizedError('Token has no valid subject');
  const custom = claims[TENANT_ATTRIBUTE];
  const added = claims[TENANT_CLAIM];
  if (custom !== undefined && added !== undefined && custom !== added) {
    throw new ForbiddenError('Token carries conflicting tenants');
  }
  const tenantId = custom ?? added;
  if (!isTenantId(tenantId)) throw new ForbiddenError();
  return Object.freeze({ tenantId, userId: sub });
};
