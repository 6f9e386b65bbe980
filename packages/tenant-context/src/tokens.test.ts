import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  badTokens,
  createTestIssuer,
  type JwksServer,
  randomUserId,
  serveJwks,
  type TestIssuer,
} from '@tenant-assistant/testing';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { ConfigurationError, ForbiddenError, KeysUnavailableError, UnauthorizedError } from './errors';
import {
  bearerToken,
  createTokenVerifier,
  type TokenVerifier,
  tenantContextFromClaims,
  tokenVerifierFromEnv,
} from './tokens';

const localIssuer = 'http://127.0.0.1:9229/us-east-1_LocalDev1';

/** What a refusal looks like: the error class and its HTTP status. */
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return error instanceof Error
    ? { name: error.name, statusCode: (error as UnauthorizedError).statusCode }
    : { name: 'accepted', statusCode: 200 };
};
const unauthorized = { name: 'UnauthorizedError', statusCode: 401 };
const forbidden = { name: 'ForbiddenError', statusCode: 403 };

/** A token shaped like an ID token of `issuer` but signed by a key its JWKS does not hold. */
const unknownKidToken = (issuer: TestIssuer, claims: Record<string, unknown> = {}) =>
  badTokens.unknownKid(
    {
      sub: randomUserId(),
      aud: issuer.clientId,
      token_use: 'id',
      iss: issuer.issuer,
      exp: Math.floor(Date.now() / 1000) + 60,
      ...claims,
    },
    issuer,
  );

/** The tokens every verifier must accept and refuse, for one issuer. */
const describeVerifier = (
  mode: string,
  setup: () => Promise<{
    issuer: TestIssuer;
    verifier: (tokenUse?: 'id' | 'access' | null) => TokenVerifier;
  }>,
) =>
  describe(`createTokenVerifier (${mode})`, () => {
    let issuer: TestIssuer;
    let verifier: (tokenUse?: 'id' | 'access' | null) => TokenVerifier;
    let verify: (token: string) => Promise<unknown>;
    const sub = randomUserId();
    const goodClaims = () => ({
      sub,
      aud: issuer.clientId,
      token_use: 'id',
      iss: issuer.issuer,
      'custom:tenantId': 'tenant-a',
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
    });

    beforeAll(async () => {
      ({ issuer, verifier } = await setup());
      const shared = verifier();
      verify = (token) => shared.verify(token);
    });

    it('accepts a valid ID token and returns its tenant context', async () => {
      // Prepare
      const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });

      // Act
      const { claims, tenant } = await verifier().verify(token);

      // Assess
      expect(tenant).toEqual({ tenantId: 'tenant-a', userId: sub });
      expect(claims).toMatchObject({ sub, token_use: 'id', 'custom:tenantId': 'tenant-a' });
    });

    it('accepts a valid access token with the tenantId claim', async () => {
      // Prepare
      const token = await issuer.accessToken({ sub, tenantId: 'tenant-b' });

      // Act
      const { tenant } = await verifier().verify(token);

      // Assess
      expect(tenant).toEqual({ tenantId: 'tenant-b', userId: sub });
    });

    it('accepts only ID tokens when tokenUse is id, and only access tokens when it is access', async () => {
      // Prepare
      const idToken = await issuer.idToken({ sub });
      const accessToken = await issuer.accessToken({ sub });

      // Act
      const results = await Promise.all([
        refusal(verifier('id').verify(idToken)),
        refusal(verifier('id').verify(accessToken)),
        refusal(verifier('access').verify(accessToken)),
        refusal(verifier('access').verify(idToken)),
      ]);

      // Assess
      expect(results).toEqual([
        { name: 'accepted', statusCode: 200 },
        unauthorized,
        { name: 'accepted', statusCode: 200 },
        unauthorized,
      ]);
    });

    it.each<[string, (issuer: TestIssuer) => Promise<string>]>([
      ['an expired token', (i) => i.idToken({ expiresInSeconds: -60 })],
      ['an expired access token', (i) => i.accessToken({ expiresInSeconds: -1 })],
      ['a token not valid yet', (i) => i.idToken({ notBeforeSeconds: 300 })],
      [
        'a token from another issuer',
        (i) =>
          i.idToken({ extraClaims: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' } }),
      ],
      ['a token without an issuer', (i) => i.idToken({ extraClaims: { iss: undefined } })],
      ['an ID token for another client', (i) => i.idToken({ extraClaims: { aud: 'another-client' } })],
      [
        'an access token for another client',
        (i) => i.accessToken({ extraClaims: { client_id: 'another-client' } }),
      ],
      ['a refresh-use token', (i) => i.idToken({ extraClaims: { token_use: 'refresh' } })],
      ['a token without token_use', (i) => i.idToken({ extraClaims: { token_use: undefined } })],
      ['a token without exp', (i) => i.idToken({ extraClaims: { exp: undefined } })],
    ])('refuses %s with 401', async (_label, mint) => {
      expect(await refusal(verify(await mint(issuer)))).toEqual(unauthorized);
    });

    it('refuses alg none with 401', async () => {
      expect(await refusal(verify(badTokens.algNone(goodClaims())))).toEqual(unauthorized);
      expect(await refusal(verify(badTokens.algNone(goodClaims()).replace(/\.$/, '.c2ln')))).toEqual(
        unauthorized,
      );
    });

    it('refuses HS256 signed with the public key with 401', async () => {
      expect(await refusal(verify(await badTokens.hs256WithPublicKey(issuer, goodClaims())))).toEqual(
        unauthorized,
      );
    });

    it('refuses a token signed by an unknown kid with 401', async () => {
      expect(await refusal(verify(await badTokens.unknownKid(goodClaims(), issuer)))).toEqual(unauthorized);
    });

    it('refuses a token whose payload was tampered with with 401', async () => {
      // Prepare
      const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });

      // Act / Assess
      expect(
        await refusal(
          verify(badTokens.tamperedPayload(token, { 'custom:tenantId': 'tenant-b', tenantId: 'tenant-b' })),
        ),
      ).toEqual(unauthorized);
      expect(await refusal(verify(badTokens.tamperedPayload(token, { sub: randomUserId() })))).toEqual(
        unauthorized,
      );
      expect(await refusal(verify(badTokens.tamperedPayload(token, { exp: 4_102_444_800 })))).toEqual(
        unauthorized,
      );
    });

    it('refuses a token whose signature was removed or altered with 401', async () => {
      // Prepare
      const token = await issuer.idToken({ sub });
      const [header, payload, signature = ''] = token.split('.');
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

      // Act / Assess
      expect(await refusal(verify(`${header}.${payload}.`))).toEqual(unauthorized);
      expect(await refusal(verify(`${header}.${payload}.${flipped}`))).toEqual(unauthorized);
    });

    it.each(['', 'not-a-jwt', 'a.b.c', 'Bearer x'])(
      'refuses the malformed token %p with 401',
      async (token) => {
        expect(await refusal(verify(token))).toEqual(unauthorized);
      },
    );

    it('refuses a valid token without a tenant with 403', async () => {
      expect(await refusal(verify(await issuer.idToken({ tenantId: null })))).toEqual(forbidden);
      expect(await refusal(verify(await issuer.accessToken({ tenantId: null })))).toEqual(forbidden);
    });

    it('refuses a valid token with an invalid tenant with 403', async () => {
      expect(await refusal(verify(await issuer.idToken({ tenantId: '*' })))).toEqual(forbidden);
      expect(await refusal(verify(await issuer.accessToken({ tenantId: 'Tenant A' })))).toEqual(forbidden);
    });

    it('refuses a valid token with conflicting tenants with 403', async () => {
      // Prepare
      const token = await issuer.idToken({
        extraClaims: { 'custom:tenantId': 'tenant-a', tenantId: 'tenant-b' },
      });

      // Act / Assess
      expect(await refusal(verify(token))).toEqual(forbidden);
    });

    it('keeps the verification failure as the cause, not in the message', async () => {
      // Prepare
      const token = await issuer.idToken({ expiresInSeconds: -60 });

      // Act
      const error = (await verify(token).catch((caught: unknown) => caught)) as UnauthorizedError;

      // Assess
      expect(error.message).toBe('Missing or invalid token');
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.expose).toBe(true);
    });
  });

describe('token verification', () => {
  let fetchSpy: jest.SpyInstance;

  beforeEach(() => {
    // Nothing here may reach the internet: any fetch not on loopback fails like an offline machine.
    const realFetch = globalThis.fetch;
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      return url.startsWith('http://127.0.0.1:')
        ? realFetch(input, init)
        : Promise.reject(new TypeError('fetch failed (offline)'));
    });
  });

  afterEach(() => {
    fetchSpy.mockRestore();
  });

  describeVerifier('CognitoJwtVerifier with a pre-loaded JWKS', async () => {
    const issuer = await createTestIssuer();
    return {
      issuer,
      verifier: (tokenUse = null) =>
        createTokenVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          tokenUse,
          jwks: issuer.jwks as Jwks,
        }),
    };
  });

  describe('in CognitoJwtVerifier mode', () => {
    it('fetches nothing when the JWKS is pre-loaded', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const verifier = createTokenVerifier({
        userPoolId: issuer.userPoolId,
        clientId: [issuer.clientId, 'other'],
        jwks: issuer.jwks as Jwks,
      });

      // Act
      for (let index = 0; index < 5; index += 1) await verifier.verify(await issuer.idToken());

      // Assess
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it('looks an unknown kid up at the Cognito JWKS URI and refuses the token when that fails', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const verifier = createTokenVerifier({
        userPoolId: issuer.userPoolId,
        clientId: issuer.clientId,
        jwks: issuer.jwks as Jwks,
      });
      const token = await unknownKidToken(issuer, { tenantId: 'tenant-a' });

      // Act
      const result = await refusal(verifier.verify(token));

      // Assess
      expect(result).toEqual(unauthorized);
      expect(fetchSpy).toHaveBeenCalledWith(`${issuer.issuer}/.well-known/jwks.json`, expect.anything());
    });

    it('tolerates clock skew up to graceSeconds', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const lenient = createTokenVerifier({
        userPoolId: issuer.userPoolId,
        clientId: issuer.clientId,
        jwks: issuer.jwks as Jwks,
        graceSeconds: 30,
      });
      const token = await issuer.idToken({ expiresInSeconds: -10 });

      // Act / Assess
      await expect(lenient.verify(token)).resolves.toBeDefined();
      await expect(lenient.verify(await issuer.idToken({ expiresInSeconds: -60 }))).rejects.toThrow(
        UnauthorizedError,
      );
    });

    it('fetches the JWKS from the jwksUri override', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const server = await serveJwks(issuer);
      try {
        const verifier = createTokenVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          jwksUri: server.jwksUri,
        });

        // Act
        const { tenant } = await verifier.verify(await issuer.idToken({ tenantId: 'tenant-a' }));

        // Assess
        expect(tenant.tenantId).toBe('tenant-a');
        expect(fetchSpy).toHaveBeenCalledWith(server.jwksUri, expect.anything());
      } finally {
        await server.close();
      }
    });

    it('uses a pre-loaded JWKS before fetching from the jwksUri override', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const verifier = createTokenVerifier({
        userPoolId: issuer.userPoolId,
        clientId: issuer.clientId,
        jwksUri: 'http://127.0.0.1:9/never-fetched.json',
        jwks: issuer.jwks as Jwks,
      });

      // Act
      const { tenant } = await verifier.verify(await issuer.accessToken({ tenantId: 'tenant-a' }));

      // Assess
      expect(tenant.tenantId).toBe('tenant-a');
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it('refuses an invalid user pool id at creation', () => {
      expect(() => createTokenVerifier({ userPoolId: 'local_abc', clientId: 'client' })).toThrow();
    });
  });

  let server: JwksServer;
  afterAll(async () => {
    await server?.close();
  });

  describeVerifier('issuer override with an http JWKS', async () => {
    const issuer = await createTestIssuer({ issuer: localIssuer, userPoolId: 'us-east-1_LocalDev1' });
    server = await serveJwks(issuer);
    return {
      issuer,
      verifier: (tokenUse = null) =>
        createTokenVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          tokenUse,
          issuer: localIssuer,
          jwksUri: server.jwksUri,
        }),
    };
  });

  describe('when the identity provider is in trouble', () => {
    /** A JWKS endpoint whose behaviour each test scripts: `plan` answers request number n. */
    const troubledJwks = async (issuer: TestIssuer, plan: (n: number) => 'ok' | 'slow' | 503 | 'html') => {
      let requests = 0;
      const server: Server = createServer((_request, response) => {
        const step = plan(requests++);
        if (step === 'slow') return void setTimeout(() => response.end(JSON.stringify(issuer.jwks)), 1000);
        if (step === 503) return void response.writeHead(503).end('Service Unavailable');
        if (step === 'html')
          return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      return {
        url,
        requests: () => requests,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    };
    const verifierFor = (issuer: TestIssuer, jwksUri: string, unknownKidRefetchSeconds?: number) =>
      createTokenVerifier({
        userPoolId: issuer.userPoolId,
        clientId: issuer.clientId,
        issuer: issuer.issuer,
        jwksUri,
        fetch: { attempts: 3, timeoutMs: 300, backoffMs: 10 },
        ...(unknownKidRefetchSeconds === undefined ? {} : { unknownKidRefetchSeconds }),
      });
    const unavailable = { name: 'KeysUnavailableError', statusCode: 503 };

    it.each<[string, 'slow' | 503 | 'html', number]>([
      ['slow (every attempt times out)', 'slow', 3],
      ['answering 503', 503, 3],
      ['answering something that is not a JWKS', 'html', 1],
    ])(
      'answers 503 AUTH_UNAVAILABLE, never 401, for a valid token while the JWKS is %s',
      async (_case, step, fetches) => {
        // Prepare
        const issuer = await createTestIssuer({ issuer: localIssuer });
        const jwks = await troubledJwks(issuer, () => step);
        try {
          const verifier = verifierFor(issuer, jwks.url);

          // Act
          const error = await verifier.verify(await issuer.idToken()).catch((caught: unknown) => caught);

          // Assess
          expect(await refusal(Promise.reject(error))).toEqual(unavailable);
          expect(error).toMatchObject({ code: 'AUTH_UNAVAILABLE', expose: true, retryAfterSeconds: 2 });
          expect(jwks.requests()).toBe(fetches);
        } finally {
          await jwks.close();
        }
      },
      15_000,
    );

    it('retries a failed fetch briefly and then accepts the valid token', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const jwks = await troubledJwks(issuer, (n) => (n < 2 ? 503 : 'ok'));
      try {
        // Act
        const { tenant } = await verifierFor(issuer, jwks.url).verify(
          await issuer.idToken({ tenantId: 'tenant-a' }),
        );

        // Assess
        expect(tenant.tenantId).toBe('tenant-a');
        expect(jwks.requests()).toBe(3);
      } finally {
        await jwks.close();
      }
    });

    it('shares one in-flight fetch between concurrent requests and keeps the keys cached', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const jwks = await troubledJwks(issuer, () => 'ok');
      try {
        const verifier = verifierFor(issuer, jwks.url);
        const tokens = await Promise.all(Array.from({ length: 20 }, () => issuer.idToken()));

        // Act
        await Promise.all(tokens.map((token) => verifier.verify(token)));
        await verifier.verify(await issuer.accessToken());

        // Assess
        expect(jwks.requests()).toBe(1);
      } finally {
        await jwks.close();
      }
    });

    it('keeps refusing a forged token with 401 while the JWKS is down once keys are cached', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const jwks = await troubledJwks(issuer, (n) => (n === 0 ? 'ok' : 503));
      try {
        const verifier = verifierFor(issuer, jwks.url);
        await verifier.verify(await issuer.idToken());
        const forged = await unknownKidToken(issuer, { tenantId: 'tenant-a' });

        // Act
        const forgedResult = await refusal(verifier.verify(forged));
        const validResult = await refusal(verifier.verify(await issuer.idToken()));

        // Assess
        expect(forgedResult).toEqual(unauthorized);
        expect(validResult).toEqual({ name: 'accepted', statusCode: 200 });
      } finally {
        await jwks.close();
      }
    });

    it('refetches for an unknown kid at most once per interval', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const jwks = await troubledJwks(issuer, () => 'ok');
      try {
        const verifier = verifierFor(issuer, jwks.url, 60);
        await verifier.verify(await issuer.idToken());

        // Act
        const results = [];
        for (let index = 0; index < 5; index += 1) {
          results.push(await refusal(verifier.verify(await unknownKidToken(issuer))));
        }

        // Assess
        expect(results).toEqual(Array(5).fill(unauthorized));
        expect(jwks.requests()).toBe(2);
      } finally {
        await jwks.close();
      }
    });

    it('preloads the keys once, so the first request fetches nothing', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const jwks = await troubledJwks(issuer, () => 'ok');
      try {
        const verifier = verifierFor(issuer, jwks.url);

        // Act
        await verifier.preload?.();
        await verifier.preload?.();
        await verifier.verify(await issuer.idToken());

        // Assess
        expect(jwks.requests()).toBe(1);
      } finally {
        await jwks.close();
      }
    });

    it('is a KeysUnavailableError the middleware passes on as it is', () => {
      expect(new KeysUnavailableError()).toMatchObject({
        statusCode: 503,
        code: 'AUTH_UNAVAILABLE',
        expose: true,
      });
    });
  });

  describe('in issuer override mode', () => {
    it('fetches the JWKS once over http and caches it', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const jwks = await serveJwks(issuer);
      try {
        const verifier = createTokenVerifier({
          userPoolId: 'us-east-1_LocalDev1',
          clientId: issuer.clientId,
          issuer: localIssuer,
          jwksUri: jwks.jwksUri,
        });

        // Act
        for (let index = 0; index < 5; index += 1) await verifier.verify(await issuer.accessToken());

        // Assess
        expect(fetchSpy).toHaveBeenCalledTimes(1);
      } finally {
        await jwks.close();
      }
    });

    it('derives the JWKS URI from the issuer, with or without a trailing slash', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const jwks = await serveJwks(issuer);
      try {
        const plain = createTokenVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          issuer: jwks.url,
        });
        const slashed = createTokenVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          issuer: `${jwks.url}/`,
        });

        // Act
        const first = await plain.verify(await issuer.idToken({ extraClaims: { iss: jwks.url } }));
        const second = await slashed.verify(await issuer.idToken({ extraClaims: { iss: `${jwks.url}/` } }));

        // Assess
        expect([first.tenant, second.tenant]).toHaveLength(2);
        expect(fetchSpy.mock.calls.map(([url]) => String(url))).toEqual([jwks.jwksUri, jwks.jwksUri]);
      } finally {
        await jwks.close();
      }
    });

    it('answers 503, not 401, when the JWKS cannot be fetched (a wrong JWKS URI is not the caller’s fault)', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const jwks = await serveJwks(issuer);
      try {
        const verifier = createTokenVerifier({
          userPoolId: 'us-east-1_LocalDev1',
          clientId: issuer.clientId,
          issuer: localIssuer,
          jwksUri: `${jwks.url}/missing.json`,
          fetch: { attempts: 2, backoffMs: 10 },
        });

        // Act / Assess
        expect(await refusal(verifier.verify(await issuer.idToken()))).toEqual({
          name: 'KeysUnavailableError',
          statusCode: 503,
        });
      } finally {
        await jwks.close();
      }
    });
  });
});

describe('tenantContextFromClaims', () => {
  const sub = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';

  it('reads custom:tenantId and sub', () => {
    expect(tenantContextFromClaims({ sub, 'custom:tenantId': 'tenant-a' })).toEqual({
      tenantId: 'tenant-a',
      userId: sub,
    });
  });

  it('reads the tenantId claim of access tokens', () => {
    expect(tenantContextFromClaims({ sub, tenantId: 'tenant-a' })).toEqual({
      tenantId: 'tenant-a',
      userId: sub,
    });
  });

  it('accepts both claims when they agree and returns a frozen context', () => {
    const context = tenantContextFromClaims({ sub, 'custom:tenantId': 'tenant-a', tenantId: 'tenant-a' });
    expect(context).toEqual({ tenantId: 'tenant-a', userId: sub });
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('refuses conflicting tenants with 403', () => {
    expect(() =>
      tenantContextFromClaims({ sub, 'custom:tenantId': 'tenant-a', tenantId: 'tenant-b' }),
    ).toThrow(new ForbiddenError('Token carries conflicting tenants'));
  });

  it.each([
    {},
    { tenantId: null },
    { tenantId: '' },
    { tenantId: '*' },
    { 'custom:tenantId': 'A' },
    { tenantId: ['tenant-a'] },
  ])('refuses the tenant claims %p with 403', (claims) => {
    expect(() => tenantContextFromClaims({ sub, ...claims })).toThrow(ForbiddenError);
  });

  it.each([undefined, '', 'abc', sub.toUpperCase(), `${sub}*`])(
    'refuses the subject %p with 401',
    (badSub) => {
      expect(() => tenantContextFromClaims({ sub: badSub, tenantId: 'tenant-a' })).toThrow(UnauthorizedError);
    },
  );
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
  ])('extracts the token from %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    undefined,
    null,
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'abc.def.ghi',
    'Bearer a b',
    'Token abc',
  ])('finds no token in %p', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

describe('tokenVerifierFromEnv', () => {
  const baseEnv = { COGNITO_USER_POOL_ID: 'us-east-1_TestPool1', COGNITO_CLIENT_IDS: 'client-a, client-b' };

  it.each([
    [{}, 'COGNITO_USER_POOL_ID is not set'],
    [{ COGNITO_USER_POOL_ID: 'us-east-1_TestPool1' }, 'COGNITO_CLIENT_IDS is not set'],
    [
      { COGNITO_USER_POOL_ID: 'us-east-1_TestPool1', COGNITO_CLIENT_IDS: ' , ' },
      'COGNITO_CLIENT_IDS is not set',
    ],
    [{ ...baseEnv, COGNITO_TOKEN_USE: 'refresh' }, 'COGNITO_TOKEN_USE must be "id" or "access"'],
  ])('refuses the environment %p', (env, message) => {
    expect(() => tokenVerifierFromEnv(env)).toThrow(new ConfigurationError(message));
  });

  it('verifies against a local issuer and JWKS and accepts every listed client', async () => {
    // Prepare
    const issuer = await createTestIssuer({ issuer: localIssuer, clientId: 'client-b' });
    const jwks = await serveJwks(issuer);
    try {
      const verifier = tokenVerifierFromEnv({
        ...baseEnv,
        COGNITO_ISSUER: localIssuer,
        COGNITO_JWKS_URI: jwks.jwksUri,
        COGNITO_TOKEN_USE: 'access',
      });

      // Act
      const { tenant } = await verifier.verify(await issuer.accessToken({ tenantId: 'tenant-a' }));

      // Assess
      expect(tenant.tenantId).toBe('tenant-a');
      expect(await refusal(verifier.verify(await issuer.idToken()))).toEqual(unauthorized);
    } finally {
      await jwks.close();
    }
  });

  it('uses CognitoJwtVerifier without an issuer override', async () => {
    // Prepare
    const verifier = tokenVerifierFromEnv({ ...baseEnv, COGNITO_TOKEN_USE: '' });

    // Act / Assess
    expect(typeof verifier.verify).toBe('function');
  });

  it('reads process.env by default', () => {
    // Prepare
    const saved = { ...process.env };
    process.env.COGNITO_USER_POOL_ID = 'us-east-1_TestPool1';
    process.env.COGNITO_CLIENT_IDS = 'client-a';
    try {
      // Act / Assess
      expect(tokenVerifierFromEnv()).toBeDefined();
    } finally {
      process.env = saved;
    }
  });
});
