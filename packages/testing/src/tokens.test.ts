import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { randomUserId } from './ids';
import { badTokens, createTestIssuer, defaultTenantId, type TestIssuer } from './tokens';

let issuer: TestIssuer;
const verify = (token: string) =>
  jwtVerify(token, createLocalJWKSet(issuer.jwks), { issuer: issuer.issuer, algorithms: ['RS256'] });

beforeAll(async () => {
  issuer = await createTestIssuer();
});

describe('createTestIssuer', () => {
  it('describes a Cognito user pool and publishes an RS256 signing key', () => {
    // Prepare / Act (issuer created above)
    // Assess
    expect(issuer.userPoolId).toBe('us-east-1_TestPool1');
    expect(issuer.issuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1');
    expect(issuer.jwks.keys).toEqual([
      expect.objectContaining({ kty: 'RSA', kid: issuer.kid, alg: 'RS256', use: 'sig' }),
    ]);
    expect(issuer.jwks.keys[0]).not.toHaveProperty('d');
    expect(issuer.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('derives the region and issuer from a custom user pool id', async () => {
    // Act
    const custom = await createTestIssuer({ userPoolId: 'eu-west-1_Other', clientId: 'client-x' });

    // Assess
    expect(custom.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other');
    expect(custom.clientId).toBe('client-x');
  });

  it('mints an ID token that verifies and carries Cognito and tenant claims', async () => {
    // Prepare
    const sub = randomUserId();

    // Act
    const { payload, protectedHeader } = await verify(
      await issuer.idToken({ sub, tenantId: 'tenant-a', username: 'alice' }),
    );

    // Assess
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: issuer.kid });
    expect(payload).toMatchObject({
      sub,
      aud: issuer.clientId,
      token_use: 'id',
      iss: issuer.issuer,
      'cognito:username': 'alice',
      email: 'alice@example.com',
      'custom:tenantId': 'tenant-a',
      tenantId: 'tenant-a',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
    expect(payload.auth_time).toBe(payload.iat);
  });

  it('mints an access token that verifies and carries client_id, scope and tenantId', async () => {
    // Prepare
    const sub = randomUserId();

    // Act
    const { payload } = await verify(await issuer.accessToken({ sub, tenantId: 'tenant-b' }));

    // Assess
    expect(payload).toMatchObject({
      sub,
      client_id: issuer.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: sub,
      tenantId: 'tenant-b',
    });
    expect(payload.aud).toBeUndefined();
  });

  it('uses the default tenant when none is given and omits tenant claims for null', async () => {
    // Act
    const withDefault = (await verify(await issuer.idToken())).payload;
    const withoutTenant = (await verify(await issuer.idToken({ tenantId: null }))).payload;

    // Assess
    expect(withDefault.tenantId).toBe(defaultTenantId);
    expect(withoutTenant).not.toHaveProperty('tenantId');
    expect(withoutTenant).not.toHaveProperty('custom:tenantId');
  });

  it('mints an expired token that fails verification', async () => {
    // Prepare
    const token = await issuer.idToken({ expiresInSeconds: -60 });

    // Act / Assess
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('sets nbf, iat and extra claims when asked', async () => {
    // Prepare
    const iat = Math.floor(Date.now() / 1000) - 10;

    // Act
    const token = await issuer.accessToken({
      issuedAtSeconds: iat,
      notBeforeSeconds: 600,
      extraClaims: { scope: 'custom', jti: undefined },
    });

    // Assess
    await expect(verify(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'nbf',
    });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload).toMatchObject({ iat, nbf: iat + 600, exp: iat + 3600, scope: 'custom' });
    expect(payload).not.toHaveProperty('jti');
  });

  it('signs arbitrary claims and header fields with its key', async () => {
    // Act
    const token = await issuer.sign({ iss: issuer.issuer, sub: 'x' }, { typ: 'at+jwt' });

    // Assess
    const { payload, protectedHeader } = await verify(token);
    expect(payload.sub).toBe('x');
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: issuer.kid });
  });
});

describe('badTokens', () => {
  const claims = { sub: 'attacker', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1' };

  it('algNone has an alg none header and no signature', async () => {
    // Act
    const token = badTokens.algNone(claims);

    // Assess
    expect(decodeProtectedHeader(token).alg).toBe('none');
    expect(token.endsWith('.')).toBe(true);
    await expect(verify(token)).rejects.toThrow();
  });

  it('hs256WithPublicKey is an HMAC signed with the public key and fails RS256 verification', async () => {
    // Act
    const token = await badTokens.hs256WithPublicKey(issuer, claims);

    // Assess
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', kid: issuer.kid });
    await expect(verify(token)).rejects.toThrow();
  });

  it('unknownKid is signed by another key with a kid missing from the JWKS', async () => {
    // Act
    const token = await badTokens.unknownKid(claims, issuer);

    // Assess
    expect(decodeProtectedHeader(token).kid).not.toBe(issuer.kid);
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  it('tamperedPayload changes the claims and keeps the old signature, which no longer verifies', async () => {
    // Prepare
    const token = await issuer.idToken({ tenantId: 'tenant-a' });

    // Act
    const tampered = badTokens.tamperedPayload(token, {
      tenantId: 'tenant-b',
      'custom:tenantId': 'tenant-b',
    });

    // Assess
    expect(tampered.split('.')[2]).toBe(token.split('.')[2]);
    expect(JSON.parse(Buffer.from(tampered.split('.')[1] ?? '', 'base64url').toString()).tenantId).toBe(
      'tenant-b',
    );
    await expect(verify(tampered)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });
});
