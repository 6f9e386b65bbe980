import { type Env, env, readEnv } from '@tenant-assistant/lambda-kit/config';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { Fetcher } from 'aws-jwt-verify/https';
import { type Jwks, type JwksCache, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import * as z from 'zod';
import { tenantContextFromClaims } from './claims';
import { UnauthorizedError } from './errors';
import type { TenantContext } from './identity';

export { tenantContextFromClaims } from './claims';

/** The claims of a verified Cognito ID or access token. */
export type TokenClaims = JwtPayload & Record<string, unknown>;

/** A verified token: its claims and the tenant context they establish. */
export interface VerifiedToken {
  readonly claims: TokenClaims;
  readonly tenant: TenantContext;
}

export interface TokenVerifier {
  /** Verifies signature, expiry, issuer, client and token use; throws UnauthorizedError / ForbiddenError. */
  verify(token: string): Promise<VerifiedToken>;
}

export interface TokenVerifierOptions {
  /** Cognito user pool id in region format, e.g. `us-east-1_AbCdEf123`. */
  userPoolId: string;
  /** Accepted app client id(s): `aud` of ID tokens, `client_id` of access tokens. */
  clientId: string | string[];
  /** `'id'`, `'access'` or `null` for either (default). */
  tokenUse?: 'id' | 'access' | null;
  /** Issuer override for a local Cognito emulator, e.g. `http://127.0.0.1:9229/us-east-1_LocalDev1`. */
  issuer?: string;
  /** JWKS URL override (default: `<issuer>/.well-known/jwks.json`); plain http works. */
  jwksUri?: string;
  /** A JWKS to pre-load into the cache (no fetch at all). */
  jwks?: Jwks;
  /** Clock skew tolerated on `exp`/`nbf`, seconds (default 0). */
  graceSeconds?: number;
}

/** JWKS fetcher over the global `fetch`, so http JWKS URLs of local emulators work too. */
const fetchFetcher: Fetcher = {
  fetch: async (uri) => {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`JWKS fetch failed with HTTP ${response.status}`);
    return response.arrayBuffer();
  },
};

/**
 * A JWKS cache that always uses `jwksUri`, whatever URI the verifier asks for: CognitoJwtVerifier
 * derives its JWKS URI from the user pool id and would otherwise ignore a `jwksUri` override.
 */
const pinnedJwksCache = (cache: JwksCache, jwksUri: string): JwksCache => ({
  getJwk: (_uri, decomposedJwt) => cache.getJwk(jwksUri, decomposedJwt),
  getCachedJwk: (_uri, decomposedJwt) => cache.getCachedJwk(jwksUri, decomposedJwt),
  addJwks: (_uri, jwks) => cache.addJwks(jwksUri, jwks),
  getJwks: () => cache.getJwks(jwksUri),
});

/**
 * Creates a verifier for Cognito ID and access tokens over aws-jwt-verify. The JWKS is fetched once
 * and cached (refetched only for an unknown `kid`, rate-limited by aws-jwt-verify's penalty box).
 *
 * @example
 * const verifier = createTokenVerifier({ userPoolId: 'us-east-1_AbC', clientId: webClientId });
 * const { tenant } = await verifier.verify(token); // tenant.tenantId, tenant.userId
 */
export const createTokenVerifier = (options: TokenVerifierOptions): TokenVerifier => {
  const tokenUse = options.tokenUse ?? null;
  const jwksCache = new SimpleJwksCache({ fetcher: fetchFetcher });
  const verifier = options.issuer
    ? JwtRsaVerifier.create(
        {
          issuer: options.issuer,
          audience: null,
          jwksUri: options.jwksUri ?? `${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
          graceSeconds: options.graceSeconds ?? 0,
          customJwtCheck: ({ payload }) =>
            validateCognitoJwtFields(payload, { tokenUse, clientId: options.clientId }),
        },
        { jwksCache },
      )
    : CognitoJwtVerifier.create(
        {
          userPoolId: options.userPoolId,
          clientId: options.clientId,
          tokenUse,
          graceSeconds: options.graceSeconds ?? 0,
        },
        { jwksCache: options.jwksUri ? pinnedJwksCache(jwksCache, options.jwksUri) : jwksCache },
      );
  if (options.jwks) verifier.cacheJwks(options.jwks);

  return {
    async verify(token: string): Promise<VerifiedToken> {
      let claims: TokenClaims;
      try {
        claims = (await verifier.verify(token)) as TokenClaims;
      } catch (error) {
        throw new UnauthorizedError('Missing or invalid token', error);
      }
      // aws-jwt-verify treats `exp` as optional; a token that never expires is refused.
      if (typeof claims.exp !== 'number') throw new UnauthorizedError('Missing or invalid token');
      return { claims, tenant: tenantContextFromClaims(claims) };
    },
  };
};

/**
 * Extracts the token from an `Authorization: Bearer <token>` header value.
 * @example bearerToken('Bearer eyJ…') // 'eyJ…'
 */
export const bearerToken = (header: string | undefined | null): string | undefined => {
  const match = /^Bearer\s+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1];
};

/**
 * A verifier configured from the environment, read once: `COGNITO_USER_POOL_ID`,
 * `COGNITO_CLIENT_IDS` (comma-separated), optional `COGNITO_ISSUER`, `COGNITO_JWKS_URI` and
 * `COGNITO_TOKEN_USE` (`id` | `access`). Throws ConfigurationError on a missing variable.
 *
 * @example const verifier = tokenVerifierFromEnv();
 */
const verifierEnv = z.object({
  COGNITO_USER_POOL_ID: env.string(),
  COGNITO_CLIENT_IDS: env.list().refine((ids) => ids.length > 0, { error: 'is not set' }),
  COGNITO_TOKEN_USE: env.optional(z.enum(['id', 'access'], { error: 'must be "id" or "access"' }), null),
  COGNITO_ISSUER: env.optional(z.string(), undefined),
  COGNITO_JWKS_URI: env.optional(z.string(), undefined),
});

export const tokenVerifierFromEnv = (source: Env = process.env): TokenVerifier => {
  const config = readEnv(verifierEnv, source);
  return createTokenVerifier({
    userPoolId: config.COGNITO_USER_POOL_ID,
    clientId: config.COGNITO_CLIENT_IDS,
    tokenUse: config.COGNITO_TOKEN_USE,
    ...(config.COGNITO_ISSUER ? { issuer: config.COGNITO_ISSUER } : {}),
    ...(config.COGNITO_JWKS_URI ? { jwksUri: config.COGNITO_JWKS_URI } : {}),
  });
};
