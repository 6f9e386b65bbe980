import { createHmac, generateKeyPair, type JsonWebKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { randomUserId } from './ids';

/** Tenant put in tokens when `TokenOptions.tenantId` is left undefined (pass `null` for no tenant). */
export const defaultTenantId = 'tenant-test0001';

/** What to put in a minted token; times are in seconds. */
export interface TokenOptions {
  /** Cognito `sub`; a random UUID by default. */
  sub?: string;
  /** Tenant claims; `defaultTenantId` when undefined, no tenant claims at all when `null`. */
  tenantId?: string | null;
  /** `cognito:username` / `username`; the `sub` by default. */
  username?: string;
  /** `exp` = `iat` + this (default 3600); negative for an expired token. */
  expiresInSeconds?: number;
  /** Adds `nbf` = `iat` + this (e.g. 300 for a token not valid yet). */
  notBeforeSeconds?: number;
  /** Absolute `iat` in epoch seconds (default: now). */
  issuedAtSeconds?: number;
  /** Merged last: overrides any claim; a value of `undefined` removes the claim. */
  extraClaims?: Record<string, unknown>;
}

/** A local Cognito-like identity provider: an RSA key, its JWKS, and RS256 token minting. */
export interface TestIssuer {
  /** e.g. 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1' */
  issuer: string;
  /** e.g. 'us-east-1_TestPool1' */
  userPoolId: string;
  /** Web app client id (`aud` of ID tokens, `client_id` of access tokens). */
  clientId: string;
  kid: string;
  /** Public JWKS (`use: 'sig'`, `alg: 'RS256'`, `kid`). */
  jwks: { keys: JsonWebKey[] };
  publicKeyPem: string;
  /**
   * What a token verifier needs to trust this issuer with its keys pre-loaded, so that it fetches
   * nothing: `createTokenVerifier({ ...issuer.preloaded })`. The JWKS is typed `never` so that it
   * fits the verifier's own JWKS type, which this package does not depend on.
   */
  preloaded: { userPoolId: string; clientId: string; jwks: never };
  /** Cognito-shaped ID token: sub, aud=clientId, token_use 'id', iss, iat/exp (1h), auth_time, cognito:username, email, 'custom:tenantId' and 'tenantId' when there is a tenant. */
  idToken(opts?: TokenOptions): Promise<string>;
  /** Cognito-shaped access token: sub, client_id, token_use 'access', scope, iss, iat/exp, username, tenantId claim when there is a tenant. */
  accessToken(opts?: TokenOptions): Promise<string>;
  /** Signs arbitrary claims (and header fields) with this issuer's key, RS256, for tampering tests. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

const generateRsaKeyPair = promisify(generateKeyPair);

const newRsaKeyPair = (): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> =>
  generateRsaKeyPair('rsa', { modulusLength: 2048 });

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const signRs256 = (privateKey: KeyObject, header: Record<string, unknown>, claims: unknown): string => {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
};

const tokenTimes = (opts: TokenOptions): Record<string, number> => {
  const iat = opts.issuedAtSeconds ?? Math.floor(Date.now() / 1000);
  const times: Record<string, number> = { iat, auth_time: iat, exp: iat + (opts.expiresInSeconds ?? 3600) };
  if (opts.notBeforeSeconds !== undefined) times.nbf = iat + opts.notBeforeSeconds;
  return times;
};

const tenantOf = (opts: TokenOptions): string | null =>
  opts.tenantId === undefined ? defaultTenantId : opts.tenantId;

/**
 * Creates a test identity provider with a fresh RSA key; tokens are real RS256 JWTs that verify against `jwks`.
 * @example const issuer = await createTestIssuer();
 * const token = await issuer.idToken({ sub: randomUserId(), tenantId: 'tenant-a' });
 * const { payload } = await jwtVerify(token, createLocalJWKSet(issuer.jwks), { issuer: issuer.issuer });
 */
export const createTestIssuer = async (
  opts: { userPoolId?: string; clientId?: string; region?: string; issuer?: string } = {},
): Promise<TestIssuer> => {
  const region = opts.region ?? opts.userPoolId?.split('_')[0] ?? 'us-east-1';
  const userPoolId = opts.userPoolId ?? `${region}_TestPool1`;
  const clientId = opts.clientId ?? '1example23456789testclient';
  const issuer = opts.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const kid = `test-${randomUUID()}`;
  const { publicKey, privateKey } = await newRsaKeyPair();
  const jwk: JsonWebKey = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

  const signClaims: TestIssuer['sign'] = async (claims, header = {}) =>
    signRs256(privateKey, { alg: 'RS256', typ: 'JWT', kid, ...header }, claims);

  return {
    issuer,
    userPoolId,
    clientId,
    kid,
    jwks: { keys: [jwk] },
    publicKeyPem,
    preloaded: { userPoolId, clientId, jwks: { keys: [jwk] } as never },
    sign: signClaims,
    idToken: (tokenOpts = {}) => {
      const sub = tokenOpts.sub ?? randomUserId();
      const username = tokenOpts.username ?? sub;
      const tenantId = tenantOf(tokenOpts);
      return signClaims({
        sub,
        aud: clientId,
        email_verified: true,
        token_use: 'id',
        iss: issuer,
        'cognito:username': username,
        email: `${username}@example.com`,
        ...(tenantId === null ? {} : { 'custom:tenantId': tenantId, tenantId }),
        origin_jti: randomUUID(),
        jti: randomUUID(),
        ...tokenTimes(tokenOpts),
        ...tokenOpts.extraClaims,
      });
    },
    accessToken: (tokenOpts = {}) => {
      const sub = tokenOpts.sub ?? randomUserId();
      const tenantId = tenantOf(tokenOpts);
      return signClaims({
        sub,
        client_id: clientId,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        iss: issuer,
        username: tokenOpts.username ?? sub,
        ...(tenantId === null ? {} : { tenantId }),
        origin_jti: randomUUID(),
        jti: randomUUID(),
        ...tokenTimes(tokenOpts),
        ...tokenOpts.extraClaims,
      });
    },
  };
};

let strangerKey: Promise<{ publicKey: KeyObject; privateKey: KeyObject }> | undefined;

/**
 * Tokens a verifier must refuse: each one attacks a different step of JWT verification.
 * @example await expect(verify(badTokens.algNone({ sub, tenantId: 'tenant-a' }))).rejects.toThrow();
 */
export const badTokens = {
  /** Header `{ alg: 'none' }` and an empty signature. */
  algNone: (claims: Record<string, unknown>): string =>
    `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,

  /** HS256 with the issuer's public key PEM as the HMAC secret (algorithm confusion), with the issuer's kid. */
  hs256WithPublicKey: async (issuer: TestIssuer, claims: Record<string, unknown>): Promise<string> => {
    const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: issuer.kid })}.${base64url(claims)}`;
    const signature = createHmac('sha256', issuer.publicKeyPem).update(signingInput).digest('base64url');
    return `${signingInput}.${signature}`;
  },

  /** A valid RS256 token from another key whose kid is not in the issuer's JWKS. */
  unknownKid: async (claims: Record<string, unknown>, issuer: TestIssuer): Promise<string> => {
    strangerKey ??= newRsaKeyPair();
    const { privateKey } = await strangerKey;
    return signRs256(privateKey, { alg: 'RS256', typ: 'JWT', kid: `unknown-${issuer.kid}` }, claims);
  },

  /** The token with `patch` merged into its payload and the original signature kept. */
  tamperedPayload: (token: string, patch: Record<string, unknown>): string => {
    const [header = '', payload = '', signature = ''] = token.split('.');
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return `${header}.${base64url({ ...(claims as Record<string, unknown>), ...patch })}.${signature}`;
  },
};
