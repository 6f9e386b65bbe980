import { localIssuer, refusal, unauthorized, withServedJwks } from '../test/verifiers';
import { ConfigurationError, ForbiddenError, UnauthorizedError } from './errors';
import { bearerToken, tenantContextFromClaims, tokenVerifierFromEnv } from './tokens';

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
    // Prepare
    const context = tenantContextFromClaims({ sub, 'custom:tenantId': 'tenant-a', tenantId: 'tenant-a' });

    // Act / Assess
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
    'NotBearer abc',
    'X-Bearer abc',
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
    await withServedJwks({ issuer: localIssuer, clientId: 'client-b' }, async ({ issuer, jwks }) => {
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
    });
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
