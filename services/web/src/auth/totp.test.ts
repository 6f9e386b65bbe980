import { groupSecret, isTotpCode, normaliseTotpCode, otpauthUri } from './totp';

describe('otpauthUri', () => {
  it('builds the Key Uri Format an authenticator app reads', () => {
    // Act / Assess
    expect(otpauthUri({ secret: 'jbsw y3dp', account: 'tenant1-user' })).toBe(
      'otpauth://totp/Tenant%20Assistant:tenant1-user?secret=JBSWY3DP&issuer=Tenant%20Assistant&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('escapes the account name', () => {
    // Act / Assess
    expect(otpauthUri({ secret: 'A', account: 'a b:c@d', issuer: 'X' })).toMatch(
      /^otpauth:\/\/totp\/X:a%20b%3Ac%40d\?/,
    );
  });
});

describe('isTotpCode', () => {
  it('accepts six digits, spaces ignored, and nothing else', () => {
    // Act / Assess
    expect(isTotpCode('123456')).toBe(true);
    expect(isTotpCode('123 456')).toBe(true);
    expect(isTotpCode('12345')).toBe(false);
    expect(isTotpCode('1234567')).toBe(false);
    expect(isTotpCode('12345a')).toBe(false);
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
  });
});

describe('groupSecret', () => {
  it('groups the secret by four characters', () => {
    // Act / Assess
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });
});
