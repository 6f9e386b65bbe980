import { accessKeyId, jwt, password, sessionToken } from '../test/secrets';
import { isSecretKey, REDACTED, redact, redactingReplacer, redactString, TENANT_LOG_KEYS } from './logger';

/** Keys whose values are secrets, whatever their case. */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'password',
  'newPassword',
  'PASSWORD',
  'secretAccessKey',
  'SecretAccessKey',
  'clientSecret',
  'SECRET_HASH',
  'sessionToken',
  'SessionToken',
  'accessKeyId',
  'AccessKeyId',
  'scopedAccessKeyId',
  'credentials',
  'Credentials',
  'cookie',
  'idToken',
  'accessToken',
  'refreshToken',
  'token',
  'x-amz-security-token',
  'X-Amz-Credential',
  'X-Amz-Signature',
];
/** Keys that only look like secret ones. */
const PLAIN_KEYS = [
  'tenantId',
  'userId',
  'answerId',
  'token_use',
  'tokenUse',
  'message',
  'expiration',
  'scopedCredentialsExpiration',
  'auth',
];

describe('isSecretKey', () => {
  it.each([
    ...SECRET_KEYS.map((key) => [true, key] as const),
    ...PLAIN_KEYS.map((key) => [false, key] as const),
  ])('is %p for %p', (secret, key) => {
    expect(isSecretKey(key)).toBe(secret);
  });
});

describe('redactString', () => {
  it.each([
    [`id ${jwt}`, 'id [REDACTED]'],
    [`Bearer ${jwt}`, 'Bearer [REDACTED]'],
    ['bearer opaque-token-value', 'bearer [REDACTED]'],
    [`key AKIAIOSFODNN7EXAMPLE and ${accessKeyId}`, 'key [REDACTED] and [REDACTED]'],
    ['Credential=AKIAX/2025/us-east-1, Signature=abc123', 'Credential=[REDACTED], Signature=[REDACTED]'],
    ['{"user":"alice","password":"p\\"w"}', '{"user":"alice","password":"[REDACTED]"}'],
    ['a=1&client_secret=xyz&b=2', 'a=1&client_secret=[REDACTED]&b=2'],
    ['nothing to hide', 'nothing to hide'],
  ])('masks %p', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});

describe('redact', () => {
  it('returns a masked deep copy and leaves the original untouched', () => {
    // Prepare
    const value = {
      headers: { authorization: `Bearer ${jwt}` },
      items: [{ password }],
      note: jwt,
      n: 1,
      ok: true,
      none: null,
    };

    // Act
    const copy = redact(value);

    // Assess
    expect(copy).toEqual({
      headers: { authorization: REDACTED },
      items: [{ password: REDACTED }],
      note: REDACTED,
      n: 1,
      ok: true,
      none: null,
    });
    expect(value.items[0]?.password).toBe(password);
  });

  it('returns undefined for undefined and keeps null secrets null', () => {
    // Act / Assess
    expect(redact(undefined)).toBeUndefined();
    expect(redact({ password: null, token: undefined })).toEqual({ password: null });
  });
});

describe('redactingReplacer', () => {
  it('masks secrets when used with JSON.stringify', () => {
    expect(JSON.stringify({ sessionToken, nested: [jwt] }, redactingReplacer)).toBe(
      '{"sessionToken":"[REDACTED]","nested":["[REDACTED]"]}',
    );
  });
});

describe('TENANT_LOG_KEYS', () => {
  it('names the tenant and user log keys', () => {
    expect(TENANT_LOG_KEYS).toEqual(['tenant_id', 'user_id']);
  });
});
