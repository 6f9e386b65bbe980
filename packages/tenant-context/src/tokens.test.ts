import { createTestIssuer, type JwksServer, serveJwks, type TestIssuer } from '@tenant-assistant/testing';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { describeVerifier } from '../test/verifier-contract';
import {
  localIssuer,
  offlineFetch,
  refusal,
  unauthorized,
  unknownKidToken,
  withServedJwks,
} from '../test/verifiers';
import { UnauthorizedError } from './errors';
import { createTokenVerifier, type JwksFetchOptions } from './tokens';

describe('token verification', () => {
  const fetchSpy = offlineFetch();

  describeVerifier('CognitoJwtVerifier with a pre-loaded JWKS', async () => {
    const issuer = await createTestIssuer();
    return {
      issuer,
      verifier: (tokenUse = null) =>
        createTokenVerifier({
          ...issuer.preloaded,
          tokenUse,
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
      expect(fetchSpy()).not.toHaveBeenCalled();
    });

    it('looks an unknown kid up at the Cognito JWKS URI and refuses the token when that fails', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const verifier = createTokenVerifier(issuer.preloaded);
      const token = await unknownKidToken(issuer, { tenantId: 'tenant-a' });

      // Act
      const result = await refusal(verifier.verify(token));

      // Assess
      expect(result).toEqual(unauthorized);
      expect(fetchSpy()).toHaveBeenCalledWith(`${issuer.issuer}/.well-known/jwks.json`, expect.anything());
    });

    it('refuses a token that never expires as a missing or invalid token (401)', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const verifier = createTokenVerifier(issuer.preloaded);
      const token = await issuer.idToken({ extraClaims: { exp: undefined } });

      // Act / Assess
      await expect(verifier.verify(token)).rejects.toThrow(new UnauthorizedError('Missing or invalid token'));
    });

    it('tolerates clock skew up to graceSeconds with an issuer override too', async () => {
      // Prepare
      const issuer = await createTestIssuer({ issuer: localIssuer });
      const lenient = createTokenVerifier({ ...issuer.preloaded, issuer: issuer.issuer, graceSeconds: 30 });

      // Act / Assess
      await expect(lenient.verify(await issuer.idToken({ expiresInSeconds: -10 }))).resolves.toBeDefined();
      await expect(lenient.verify(await issuer.idToken({ expiresInSeconds: -60 }))).rejects.toThrow(
        UnauthorizedError,
      );
    });

    it('tolerates clock skew up to graceSeconds', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const lenient = createTokenVerifier({
        ...issuer.preloaded,
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
      await withServedJwks(undefined, async ({ issuer, jwks: server }) => {
        const verifier = createTokenVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          jwksUri: server.jwksUri,
        });

        // Act
        const { tenant } = await verifier.verify(await issuer.idToken({ tenantId: 'tenant-a' }));

        // Assess
        expect(tenant.tenantId).toBe('tenant-a');
        expect(fetchSpy()).toHaveBeenCalledWith(server.jwksUri, expect.anything());
      });
    });

    it('uses a pre-loaded JWKS before fetching from the jwksUri override', async () => {
      // Prepare
      const issuer = await createTestIssuer();
      const verifier = createTokenVerifier({
        ...issuer.preloaded,
        jwksUri: 'http://127.0.0.1:9/never-fetched.json',
      });

      // Act
      const { tenant } = await verifier.verify(await issuer.accessToken({ tenantId: 'tenant-a' }));

      // Assess
      expect(tenant.tenantId).toBe('tenant-a');
      expect(fetchSpy()).not.toHaveBeenCalled();
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

  describe('in issuer override mode', () => {
    /** A verifier of the local issuer (a region-format pool id) whose JWKS is at `jwksUri`. */
    const overrideVerifier = (issuer: TestIssuer, jwksUri: string, fetch?: JwksFetchOptions) =>
      createTokenVerifier({
        userPoolId: 'us-east-1_LocalDev1',
        clientId: issuer.clientId,
        issuer: localIssuer,
        jwksUri,
        ...(fetch ? { fetch } : {}),
      });

    it('fetches the JWKS once over http and caches it', async () => {
      // Prepare
      await withServedJwks({ issuer: localIssuer }, async ({ issuer, jwks }) => {
        const verifier = overrideVerifier(issuer, jwks.jwksUri);

        // Act
        for (let index = 0; index < 5; index += 1) await verifier.verify(await issuer.accessToken());

        // Assess
        expect(fetchSpy()).toHaveBeenCalledTimes(1);
      });
    });

    it('derives the JWKS URI from the issuer, with or without a trailing slash', async () => {
      // Prepare
      await withServedJwks(undefined, async ({ issuer, jwks }) => {
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
        expect(fetchSpy().mock.calls.map(([url]) => String(url))).toEqual([jwks.jwksUri, jwks.jwksUri]);
      });
    });

    it('answers 503, not 401, when the JWKS cannot be fetched (a wrong JWKS URI is not the caller’s fault)', async () => {
      // Prepare
      await withServedJwks({ issuer: localIssuer }, async ({ issuer, jwks }) => {
        const verifier = overrideVerifier(issuer, `${jwks.url}/missing.json`, { attempts: 2, backoffMs: 10 });

        // Act / Assess
        expect(await refusal(verifier.verify(await issuer.idToken()))).toEqual({
          name: 'KeysUnavailableError',
          statusCode: 503,
        });
      });
    });
  });
});
