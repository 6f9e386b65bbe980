import { type Env, env, readEnv } from '@tenant-assistant/lambda-kit/config';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { JwksValidationError, JwkValidationError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { type Jwks, type JwksCache, SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import * as z from 'zod';
import { tenantContextFromClaims } from './claims';
import { KeysUnavailableError, UnauthorizedError } from './errors';
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
  /**
   * Verifies signature, expiry, issuer, client and token use; throws UnauthorizedError (401) /
   * ForbiddenError (403), or KeysUnavailableError (503) when the signing keys cannot be had.
   */
  verify(token: string): Promise<VerifiedToken>;
  /** Fetches the signing keys ahead of the first request (cold start); rejects when they cannot be had. */
  preload?(): Promise<void>;
}

/** How the JWKS is fetched: each attempt times out, a failed one is retried briefly. */
export interface JwksFetchOptions {
  /** Attempts in all (default 3). */
  attempts?: number;
  /** Timeout of one attempt, ms (default 2500: a loaded machine can be slow to answer). */
  timeoutMs?: number;
  /** Wait before the second attempt, ms, doubling after (default 200). */
  backoffMs?: number;
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
  /** JWKS fetch timeouts and retries. */
  fetch?: JwksFetchOptions;
  /** A token with an unknown `kid` makes the JWKS be fetched again at most once per this many seconds (default 10). */
  unknownKidRefetchSeconds?: number;
}

/** The JWKS could not be fetched (every attempt failed). */
class JwksFetchFailedError extends Error {
  constructor(uri: string, cause: unknown) {
    super(`Fetching the JWKS from ${uri} failed`, { cause });
    this.name = 'JwksFetchFailedError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * JWKS fetcher over the global `fetch` (so http JWKS URLs of local emulators work too): each
 * attempt times out, a failed attempt (network, timeout, non-2xx) is retried briefly with backoff.
 */
const retryingFetcher = (options: JwksFetchOptions = {}): Fetcher => {
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 2500;
  const backoffMs = options.backoffMs ?? 200;
  return {
    fetch: async (uri) => {
      let lastError: unknown;
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
        try {
          const response = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs) });
          if (!response.ok) throw new Error(`JWKS fetch failed with HTTP ${response.status}`);
          return await response.arrayBuffer();
        } catch (error) {
          lastError = error;
        }
      }
      throw new JwksFetchFailedError(uri, lastError);
    },
  };
};

/**
 * A JWKS cache that tells "the keys cannot be had" from "the token is not signed by them": when no
 * JWKS has ever been loaded for the URI and fetching (or parsing) it fails, the failure is
 * KeysUnavailableError (503). With keys cached, an unknown `kid` stays a refusal (401) even when
 * the refetch fails. Keys stay cached for the container's life; concurrent requests share one
 * in-flight fetch and an unknown `kid` refetches at most once per penalty interval (both
 * aws-jwt-verify's SimpleJwksCache).
 */
const resilientJwksCache = (cache: JwksCache): JwksCache => {
  const loaded = new Set<string>();
  const unavailable = (uri: string, error: unknown) =>
    !loaded.has(uri) &&
    (error instanceof JwksFetchFailedError ||
      error instanceof JwksValidationError ||
      error instanceof JwkValidationError);
  return {
    getJwk: async (uri, decomposedJwt) => {
      try {
        const jwk = await cache.getJwk(uri, decomposedJwt);
        loaded.add(uri);
        return jwk;
      } catch (error) {
        if (unavailable(uri, error)) throw new KeysUnavailableError(error);
        throw error;
      }
    },
    getCachedJwk: (uri, decomposedJwt) => cache.getCachedJwk(uri, decomposedJwt),
    addJwks: (uri, jwks) => {
      cache.addJwks(uri, jwks);
      loaded.add(uri);
    },
    getJwks: async (uri) => {
      try {
        const jwks = await cache.getJwks(uri);
        loaded.add(uri);
        return jwks;
      } catch (error) {
        if (unavailable(uri, error)) throw new KeysUnavailableError(error);
        throw error;
      }
    },
  };
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
 * per verifier (call `preload()` at cold start), concurrent requests share one in-flight fetch, a
 * failed fetch is retried briefly, and the keys stay cached (refetched only for an unknown `kid`, at
 * most once per `unknownKidRefetchSeconds`). When the keys cannot be had at all, `verify` throws
 * KeysUnavailableError (503), never UnauthorizedError.
 *
 * @example
 * const verifier = createTokenVerifier({ userPoolId: 'us-east-1_AbC', clientId: webClientId });
 * const { tenant } = await verifier.verify(token); // tenant.tenantId, tenant.userId
 */
export const createTokenVerifier = (options: TokenVerifierOptions): TokenVerifier => {
  const tokenUse = options.tokenUse ?? null;
  const jwksCache = resilientJwksCache(
    new SimpleJwksCache({
      fetcher: retryingFetcher(options.fetch),
      penaltyBox: new SimplePenaltyBox({ waitSeconds: options.unknownKidRefetchSeconds ?? 10 }),
    }),
  );
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
  let preloaded: Promise<void> | undefined;

  return {
    async verify(token: string): Promise<VerifiedToken> {
      let claims: TokenClaims;
      try {
        claims = (await verifier.verify(token)) as TokenClaims;
      } catch (error) {
        if (error instanceof KeysUnavailableError) throw error;
        throw new UnauthorizedError('Missing or invalid token', error);
      }
      // aws-jwt-verify treats `exp` as optional; a token that never expires is refused.
      if (typeof claims.exp !== 'number') throw new UnauthorizedError('Missing or invalid token');
      return { claims, tenant: tenantContextFromClaims(claims) };
    },
    preload: () => {
      // hydrate() always fetches: once is enough, and never when the keys were given.
      preloaded ??= options.jwks
        ? Promise.resolve()
        : verifier.hydrate().catch((error: unknown) => {
            preloaded = undefined;
            throw error;
          });
      return preloaded;
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
