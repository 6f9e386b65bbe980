import { badTokens, randomUserId, type TestIssuer } from '@tenant-assistant/testing';
import type { UnauthorizedError } from '../src/errors';
import type { TokenVerifier } from '../src/tokens';
import { forbidden, refusal, unauthorized } from './verifiers';

/** The tokens every verifier must accept and refuse, for one issuer. */
export const describeVerifier = (
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
