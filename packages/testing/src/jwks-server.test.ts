import { createRemoteJWKSet, jwtVerify } from 'jose';
import { serveJwks } from './jwks-server';
import { createTestIssuer } from './tokens';

describe('serveJwks', () => {
  it('serves the JWKS and OpenID configuration over http so tokens verify remotely', async () => {
    // Prepare
    const issuer = await createTestIssuer();
    const server = await serveJwks(issuer);
    try {
      // Act
      const jwks = await (await fetch(server.jwksUri)).json();
      const config = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
      const { payload } = await jwtVerify(
        await issuer.idToken({ sub: 'u1' }),
        createRemoteJWKSet(new URL(server.jwksUri)),
      );

      // Assess
      expect(server.jwksUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
      expect(jwks).toEqual(issuer.jwks);
      expect(config).toMatchObject({ issuer: issuer.issuer, jwks_uri: server.jwksUri });
      expect(payload.sub).toBe('u1');
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('serves a custom path and stops accepting connections once closed', async () => {
    // Prepare
    const server = await serveJwks(await createTestIssuer(), '/keys');
    expect((await fetch(server.jwksUri)).status).toBe(200);

    // Act
    await server.close();

    // Assess
    expect(server.jwksUri.endsWith('/keys')).toBe(true);
    await expect(fetch(server.jwksUri)).rejects.toThrow();
  });
});
