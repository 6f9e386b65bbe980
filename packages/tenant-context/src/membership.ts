import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { LRUCache } from 'lru-cache';
import { TENANT_ID_ATTRIBUTE } from './identity';

/** What the identity provider says about a user: their (immutable) tenant, and whether they may act. */
export interface UserMembership {
  /** `custom:tenantId`, or undefined when the user has none. */
  tenantId: string | undefined;
  enabled: boolean;
}

/** Looks a user up by Cognito `sub`; undefined when there is no such user. */
export type MembershipLookup = (userId: string) => Promise<UserMembership | undefined>;

/**
 * A {@link MembershipLookup} on a Cognito user pool: `AdminGetUser` with the `sub` as the user name
 * (Cognito accepts a local user's `sub` there). Needs `cognito-idp:AdminGetUser` on the pool.
 *
 * @example const lookup = cognitoMembershipLookup(new CognitoIdentityProviderClient({}), poolId);
 */
export const cognitoMembershipLookup =
  (cognito: CognitoIdentityProviderClient, userPoolId: string): MembershipLookup =>
  async (userId) => {
    try {
      const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userId }));
      const attributes = user.UserAttributes ?? [];
      const sub = attributes.find((attribute) => attribute.Name === 'sub')?.Value;
      if (sub !== userId) return undefined;
      return {
        tenantId: attributes.find((attribute) => attribute.Name === TENANT_ID_ATTRIBUTE)?.Value,
        enabled: user.Enabled !== false,
      };
    } catch (error) {
      if (error instanceof UserNotFoundException || (error as Error).name === 'UserNotFoundException') {
        return undefined;
      }
      throw error;
    }
  };

export interface MembershipVerifierOptions {
  lookup: MembershipLookup;
  /** How long an answer is reused (default 5 minutes): `custom:tenantId` never changes, so only a
   * user disabled or deleted meanwhile is seen late, by at most this long. */
  ttlMs?: number;
  /** Most users remembered (default 10,000). */
  max?: number;
}

/** Whether a user is an enabled member of a tenant, cached per user (concurrent look-ups shared). */
export interface MembershipVerifier {
  isMember(tenantId: string, userId: string): Promise<boolean>;
  /** Identity-provider look-ups made so far (cache misses). */
  readonly lookups: number;
}

const NOT_FOUND = Symbol('not-found');

/**
 * The membership check that comes before any credentials are asked for: a `PromptSubmitted` names a
 * tenant and a user, and the identity provider — not the event — says whether that user belongs to
 * that tenant. Closes the forged or mis-routed event (a compromised or buggy publisher, a bus policy
 * changed by mistake): STS never mints tenant B's credentials for a user of tenant A. Answers are
 * cached per user (`lru-cache`, TTL), so a warm container pays a map look-up per prompt.
 *
 * @example
 * const membership = createMembershipVerifier({ lookup: cognitoMembershipLookup(cognito, poolId) });
 * if (!(await membership.isMember(tenant.tenantId, tenant.userId))) throw new NotATenantMemberError();
 */
export const createMembershipVerifier = (options: MembershipVerifierOptions): MembershipVerifier => {
  let lookups = 0;
  const cache = new LRUCache<string, UserMembership | typeof NOT_FOUND>({
    max: options.max ?? 10_000,
    ttl: options.ttlMs ?? 5 * 60_000,
    fetchMethod: async (userId) => {
      lookups += 1;
      return (await options.lookup(userId)) ?? NOT_FOUND;
    },
  });
  return {
    async isMember(tenantId, userId) {
      const membership = await cache.fetch(userId);
      return (
        membership !== undefined &&
        membership !== NOT_FOUND &&
        membership.enabled &&
        membership.tenantId !== undefined &&
        membership.tenantId === tenantId
      );
    },
    get lookups() {
      return lookups;
    },
  };
};
