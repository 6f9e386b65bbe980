import type { TestIssuer } from '@tenant-assistant/testing';
import { offlineFetch, refusal, unauthorized, unknownKidToken, withTroubledJwks } from '../test/verifiers';
import { KeysUnavailableError } from './errors';
import { createTokenVerifier } from './tokens';

describe('token verification when the identity provider is in trouble', () => {
  offlineFetch();

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
      await withTroubledJwks(
        () => step,
        async ({ issuer, jwks }) => {
          const verifier = verifierFor(issuer, jwks.url);

          // Act
          const error = await verifier.verify(await issuer.idToken()).catch((caught: unknown) => caught);

          // Assess
          expect(await refusal(Promise.reject(error))).toEqual(unavailable);
          expect(error).toMatchObject({ code: 'AUTH_UNAVAILABLE', expose: true, retryAfterSeconds: 2 });
          expect(jwks.requests()).toBe(fetches);
        },
      );
    },
    15_000,
  );

  it('retries a failed fetch briefly and then accepts the valid token', async () => {
    // Prepare
    await withTroubledJwks(
      (n) => (n < 2 ? 503 : 'ok'),
      async ({ issuer, jwks }) => {
        // Act
        const { tenant } = await verifierFor(issuer, jwks.url).verify(
          await issuer.idToken({ tenantId: 'tenant-a' }),
        );

        // Assess
        expect(tenant.tenantId).toBe('tenant-a');
        expect(jwks.requests()).toBe(3);
      },
    );
  });

  it('shares one in-flight fetch between concurrent requests and keeps the keys cached', async () => {
    // Prepare
    await withTroubledJwks(
      () => 'ok',
      async ({ issuer, jwks }) => {
        const verifier = verifierFor(issuer, jwks.url);
        const tokens = await Promise.all(Array.from({ length: 20 }, () => issuer.idToken()));

        // Act
        await Promise.all(tokens.map((token) => verifier.verify(token)));
        await verifier.verify(await issuer.accessToken());

        // Assess
        expect(jwks.requests()).toBe(1);
      },
    );
  });

  it('keeps refusing a forged token with 401 while the JWKS is down once keys are cached', async () => {
    // Prepare
    await withTroubledJwks(
      (n) => (n === 0 ? 'ok' : 503),
      async ({ issuer, jwks }) => {
        const verifier = verifierFor(issuer, jwks.url);
        await verifier.verify(await issuer.idToken());
        const forged = await unknownKidToken(issuer, { tenantId: 'tenant-a' });

        // Act
        const forgedResult = await refusal(verifier.verify(forged));
        const validResult = await refusal(verifier.verify(await issuer.idToken()));

        // Assess
        expect(forgedResult).toEqual(unauthorized);
        expect(validResult).toEqual({ name: 'accepted', statusCode: 200 });
      },
    );
  });

  it('refetches for an unknown kid at most once per interval', async () => {
    // Prepare
    await withTroubledJwks(
      () => 'ok',
      async ({ issuer, jwks }) => {
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
      },
    );
  });

  it('preloads the keys once, so the first request fetches nothing', async () => {
    // Prepare
    await withTroubledJwks(
      () => 'ok',
      async ({ issuer, jwks }) => {
        const verifier = verifierFor(issuer, jwks.url);

        // Act
        await verifier.preload?.();
        await verifier.preload?.();
        await verifier.verify(await issuer.idToken());

        // Assess
        expect(jwks.requests()).toBe(1);
      },
    );
  });

  it('fetches at once, then waits backoffMs before the second attempt and twice that before the third', async () => {
    // Prepare
    await withTroubledJwks(
      (n) => (n < 2 ? 503 : 'ok'),
      async ({ issuer, jwks }) => {
        const verifier = createTokenVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          issuer: issuer.issuer,
          jwksUri: jwks.url,
          fetch: { attempts: 3, timeoutMs: 300, backoffMs: 600 },
        });
        const token = await issuer.idToken();
        const started = Date.now();

        // Act
        await verifier.verify(token);

        // Assess
        const [first, second, third] = jwks.arrivals() as [number, number, number];
        expect(first - started).toBeLessThan(250);
        expect(second - first).toBeGreaterThanOrEqual(590);
        expect(third - second).toBeGreaterThanOrEqual(1190);
      },
    );
  }, 15_000);

  it('keeps why the keys could not be had: the JWKS address and the last failure, as the cause', async () => {
    // Prepare
    await withTroubledJwks(
      () => 503,
      async ({ issuer, jwks }) => {
        // Act
        const error = await verifierFor(issuer, jwks.url)
          .verify(await issuer.idToken())
          .catch((caught: unknown) => caught);

        // Assess
        expect(error).toBeInstanceOf(KeysUnavailableError);
        const cause = (error as Error).cause as Error;
        expect(cause).toMatchObject({
          name: 'JwksFetchFailedError',
          message: `Fetching the JWKS from ${jwks.url} failed`,
        });
        expect((cause.cause as Error).message).toBe('JWKS fetch failed with HTTP 503');
      },
    );
  });

  it('refuses an unknown kid with 401 on a cold verifier whose JWKS answered (the keys were had)', async () => {
    // Prepare
    await withTroubledJwks(
      () => 'ok',
      async ({ issuer, jwks }) => {
        // Act
        const result = await refusal(verifierFor(issuer, jwks.url).verify(await unknownKidToken(issuer)));

        // Assess
        expect(result).toEqual(unauthorized);
        expect(jwks.requests()).toBe(1);
      },
    );
  });

  it('rejects preload with 503 while the JWKS is down, and preloads once it is back', async () => {
    // Prepare
    await withTroubledJwks(
      (n) => (n < 3 ? 503 : 'ok'),
      async ({ issuer, jwks }) => {
        const verifier = verifierFor(issuer, jwks.url);

        // Act
        const down = await verifier.preload?.().catch((caught: unknown) => caught);
        await verifier.preload?.();

        // Assess
        expect(down).toBeInstanceOf(KeysUnavailableError);
        expect(jwks.requests()).toBe(4);
        await expect(verifier.verify(await issuer.idToken())).resolves.toBeDefined();
        expect(jwks.requests()).toBe(4);
      },
    );
  });

  it('refuses an unknown kid with 401, not 503, when the JWKS fails after a preload', async () => {
    // Prepare
    await withTroubledJwks(
      (n) => (n === 0 ? 'ok' : 503),
      async ({ issuer, jwks }) => {
        const verifier = verifierFor(issuer, jwks.url);
        await verifier.preload?.();

        // Act
        const result = await refusal(verifier.verify(await unknownKidToken(issuer)));

        // Assess
        expect(result).toEqual(unauthorized);
        expect(jwks.requests()).toBeGreaterThan(1);
      },
    );
  });

  it('is a KeysUnavailableError the middleware passes on as it is', () => {
    expect(new KeysUnavailableError()).toMatchObject({
      statusCode: 503,
      code: 'AUTH_UNAVAILABLE',
      expose: true,
    });
  });
});
