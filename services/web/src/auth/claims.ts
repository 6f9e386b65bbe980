import { TENANT_ATTRIBUTE, TENANT_CLAIM, tenantContextFromClaims } from '@tenant-assistant/tenant-context';

/** Who is signed in, as shown on screen (read from the ID token; the API verifies the token itself). */
export interface SignedInUser {
  readonly username: string;
  readonly sub: string;
  readonly tenantId: string;
}

/** The claims the app reads from an ID token. */
export interface IdTokenClaims {
  readonly sub?: unknown;
  readonly exp?: unknown;
  readonly 'cognito:username'?: unknown;
  readonly [TENANT_ATTRIBUTE]?: unknown;
  readonly [TENANT_CLAIM]?: unknown;
  readonly [claim: string]: unknown;
}

const base64UrlDecode = (segment: string): string => {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
};

/**
 * Decodes (does not verify) a JWT's payload; undefined when it is not a JWT.
 * @example decodeJwtPayload(idToken)?.exp
 */
export const decodeJwtPayload = (token: string): IdTokenClaims | undefined => {
  const [, payload] = token.split('.');
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(base64UrlDecode(payload));
    return claims !== null && typeof claims === 'object' ? (claims as IdTokenClaims) : undefined;
  } catch {
    return undefined;
  }
};

/** Expiry of a token in epoch milliseconds (0 when unreadable, i.e. treated as expired). */
export const tokenExpiresAt = (token: string): number => {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : 0;
};

/**
 * The signed-in user from an ID token: username, sub and tenant, by tenant-context's rule
 * (`custom:tenantId`, or the `tenantId` claim added by the pre-token-generation trigger; both
 * present but different is refused). Undefined when the token carries no valid subject or tenant —
 * such a session must not be used.
 */
export const userFromIdToken = (idToken: string): SignedInUser | undefined => {
  const claims = decodeJwtPayload(idToken);
  if (!claims) return undefined;
  let tenant: { tenantId: string; userId: string };
  try {
    tenant = tenantContextFromClaims(claims);
  } catch {
    return undefined;
  }
  const username = claims['cognito:username'];
  return {
    sub: tenant.userId,
    tenantId: tenant.tenantId,
    username: typeof username === 'string' && username ? username : tenant.userId,
  };
};
