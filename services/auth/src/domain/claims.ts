import {
  inForeignTenantGroup,
  isTenantId,
  TENANT_ATTRIBUTE,
  TENANT_CLAIM,
  TENANT_ROLE_CLAIM,
  tenantGroupName,
} from '@tenant-assistant/tenant-context';
import type { TenantRegistry } from '../adapters/tenants-table';
import { TenantlessUserError, TenantSuspendedSignInError } from '../errors';

export { TENANT_CLAIM, TENANT_ROLE_CLAIM } from '@tenant-assistant/tenant-context';

type Claims = Record<string, string>;
type TokenGeneration = { claimsToAddOrOverride?: Claims | null; [key: string]: unknown } | null | undefined;

/**
 * A pre-token-generation trigger event, typed loosely on purpose: Cognito sends the V2 shape
 * (`version: "2"`, response `claimsAndScopeOverrideDetails`) and V1 (`version: "1"`, response
 * `claimsOverrideDetails`); cognito-local sends the V1 shape with `version: "0"`. Any field may
 * be missing in a malformed event, and none of them may crash the trigger.
 */
export interface PreTokenGenerationEvent {
  version?: string;
  triggerSource?: string;
  region?: string;
  userPoolId?: string;
  userName?: string;
  callerContext?: Record<string, unknown>;
  request?: {
    userAttributes?: Record<string, string | undefined> | null;
    groupConfiguration?: { groupsToOverride?: unknown; [key: string]: unknown } | null;
    [key: string]: unknown;
  } | null;
  response?: {
    claimsAndScopeOverrideDetails?: {
      idTokenGeneration?: TokenGeneration;
      accessTokenGeneration?: TokenGeneration;
      [key: string]: unknown;
    } | null;
    claimsOverrideDetails?: { claimsToAddOrOverride?: Claims | null; [key: string]: unknown } | null;
    [key: string]: unknown;
  } | null;
}

/** True for the V2 (and later) event, whose response can customise the access token too. */
export const isV2Event = (event: PreTokenGenerationEvent): boolean => Number(event.version) >= 2;

const groupsOf = (event: PreTokenGenerationEvent): string[] => {
  const groups = event.request?.groupConfiguration?.groupsToOverride;
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [];
};

/**
 * The claims a user's tokens get: `tenantId` from the immutable `custom:tenantId`, and `tenantRole`
 * = `tenant-<tenantId>` when the user is in that group. Refuses (TenantlessUserError) a user with no
 * valid tenant, or in another tenant's group, so such a user cannot sign in at all.
 *
 * @example tenantClaims(event) // { tenantId: 'acme', tenantRole: 'tenant-acme' }
 */
export const tenantClaims = (event: PreTokenGenerationEvent): Claims => {
  const tenantId = event.request?.userAttributes?.[TENANT_ATTRIBUTE];
  if (!isTenantId(tenantId)) throw new TenantlessUserError();
  const ownGroup = tenantGroupName(tenantId);
  const groups = groupsOf(event);
  if (inForeignTenantGroup(tenantId, groups)) {
    throw new TenantlessUserError("Sign-in refused: this user is in another tenant's group");
  }
  return {
    [TENANT_CLAIM]: tenantId,
    ...(groups.includes(ownGroup) ? { [TENANT_ROLE_CLAIM]: ownGroup } : {}),
  };
};

const merge = (generation: TokenGeneration, claims: Claims) => ({
  ...generation,
  claimsToAddOrOverride: { ...generation?.claimsToAddOrOverride, ...claims },
});

/**
 * Sets the tenant claims in the trigger's response, in the shape of the event's version: V2 adds
 * them to the ID and the access token, V1 (and cognito-local's `version: "0"`) to the ID token.
 * Returns the event, as Cognito expects.
 */
export const addTenantClaims = <E extends PreTokenGenerationEvent>(event: E): E => {
  const claims = tenantClaims(event);
  const response = event.response ?? {};
  if (isV2Event(event)) {
    const details = response.claimsAndScopeOverrideDetails;
    event.response = {
      ...response,
      claimsAndScopeOverrideDetails: {
        ...details,
        idTokenGeneration: merge(details?.idTokenGeneration, claims),
        accessTokenGeneration: merge(details?.accessTokenGeneration, claims),
      },
    };
  } else {
    event.response = { ...response, claimsOverrideDetails: merge(response.claimsOverrideDetails, claims) };
  }
  return event;
};

/**
 * Refuses the sign-in of a user whose tenant is not in the registry (never onboarded, or offboarded)
 * or is suspended, with a message Cognito shows to the user.
 *
 * @example await assertTenantMaySignIn(registry, 'acme');
 */
export const assertTenantMaySignIn = async (
  registry: Pick<TenantRegistry, 'get'>,
  tenantId: string,
): Promise<void> => {
  const tenant = await registry.get(tenantId);
  if (!tenant) throw new TenantlessUserError();
  if (tenant.status !== 'ACTIVE') throw new TenantSuspendedSignInError();
};
