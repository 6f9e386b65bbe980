import { fakeJwt, USER_SUB } from '../testing/fakes';
import { decodeJwtPayload, tokenExpiresAt, userFromIdToken } from './claims';

describe('decodeJwtPayload', () => {
  it('decodes UTF-8 claims of a base64url payload', () => {
    // Act / Assess
    expect(decodeJwtPayload(fakeJwt({ name: 'Zoë ✓' }))).toEqual({ name: 'Zoë ✓' });
  });

  it('returns undefined for anything that is not a JWT', () => {
    // Act / Assess
    expect(decodeJwtPayload('not-a-jwt')).toBeUndefined();
    expect(decodeJwtPayload('a.%%%.c')).toBeUndefined();
    expect(decodeJwtPayload(`a.${Buffer.from('"text"').toString('base64url')}.c`)).toBeUndefined();
  });
});

describe('tokenExpiresAt', () => {
  it('reads exp in milliseconds and treats a missing exp as expired', () => {
    // Act / Assess
    expect(tokenExpiresAt(fakeJwt({ exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
    expect(tokenExpiresAt(fakeJwt({}))).toBe(0);
    expect(tokenExpiresAt(fakeJwt({ exp: 'soon' }))).toBe(0);
  });
});

describe('userFromIdToken', () => {
  it('reads username, sub and the custom:tenantId claim', () => {
    // Act
    const token = fakeJwt({
      sub: USER_SUB,
      'cognito:username': 'tenant1-user',
      'custom:tenantId': 'tenant1',
    });

    // Assess
    expect(userFromIdToken(token)).toEqual({ username: 'tenant1-user', sub: USER_SUB, tenantId: 'tenant1' });
  });

  it('falls back to the tenantId claim added by the pre-token-generation trigger', () => {
    // Act
    const token = fakeJwt({ sub: USER_SUB, tenantId: 'tenant3' });

    // Assess
    expect(userFromIdToken(token)).toEqual({ username: USER_SUB, sub: USER_SUB, tenantId: 'tenant3' });
  });

  it('refuses tokens without a valid tenant or subject', () => {
    // Act / Assess
    expect(userFromIdToken(fakeJwt({ sub: USER_SUB }))).toBeUndefined();
    expect(
      userFromIdToken(fakeJwt({ sub: USER_SUB, 'custom:tenantId': '$' + '{aws:username}' })),
    ).toBeUndefined();
    expect(userFromIdToken(fakeJwt({ sub: 'root', 'custom:tenantId': 'tenant1' }))).toBeUndefined();
    expect(userFromIdToken('garbage')).toBeUndefined();
  });

  it('refuses a token whose two tenant claims disagree, as the API does', () => {
    // Prepare
    const token = fakeJwt({ sub: USER_SUB, 'custom:tenantId': 'tenant1', tenantId: 'tenant2' });

    // Act
    const user = userFromIdToken(token);

    // Assess
    expect(user).toBeUndefined();
  });
});
