import { credentials, tenantA, unchecked } from '../test/credentials';
import { userA } from '../test/ids';
import { fromSessionAttributes, SESSION_ATTRIBUTE_KEYS, toSessionAttributes } from './credentials';
import { InvalidSessionAttributesError, InvalidTenantIdError, InvalidUserIdError } from './errors';

describe('toSessionAttributes / fromSessionAttributes', () => {
  it('round-trips the tenant, the user and the credentials as strings', () => {
    // Act
    const attributes = toSessionAttributes(tenantA, credentials);
    const parsed = fromSessionAttributes(attributes);

    // Assess
    expect(Object.values(attributes).every((value) => typeof value === 'string')).toBe(true);
    expect(attributes).toEqual({
      [SESSION_ATTRIBUTE_KEYS.tenantId]: 'tenant-a',
      [SESSION_ATTRIBUTE_KEYS.userId]: userA,
      [SESSION_ATTRIBUTE_KEYS.accessKeyId]: credentials.accessKeyId,
      [SESSION_ATTRIBUTE_KEYS.secretAccessKey]: credentials.secretAccessKey,
      [SESSION_ATTRIBUTE_KEYS.sessionToken]: credentials.sessionToken,
      [SESSION_ATTRIBUTE_KEYS.expiration]: '2025-01-01T13:00:00.000Z',
    });
    expect(parsed).toEqual({ tenant: tenantA, credentials });
    expect(Object.isFrozen(parsed.tenant)).toBe(true);
    expect(Object.isFrozen(parsed.credentials)).toBe(true);
  });

  it('refuses to build attributes from unvalidated ids', () => {
    // Act / Assess
    expect(() => toSessionAttributes(unchecked('*', userA), credentials)).toThrow(InvalidTenantIdError);
    expect(() => toSessionAttributes(unchecked('tenant-a', 'u'), credentials)).toThrow(InvalidUserIdError);
  });

  it('accepts an expiration with an offset', () => {
    // Prepare
    const attributes = {
      ...toSessionAttributes(tenantA, credentials),
      scopedCredentialsExpiration: '2025-01-01T14:00:00+01:00',
    };

    // Act / Assess
    expect(fromSessionAttributes(attributes).credentials.expiration).toEqual(credentials.expiration);
  });

  it.each([undefined, null, {}, 'tenant-a', []])('refuses the missing attributes %p', (attributes) => {
    expect(() => fromSessionAttributes(attributes)).toThrow(InvalidSessionAttributesError);
  });

  it.each([
    ['tenantId', '*'],
    ['tenantId', 'Tenant-A'],
    ['userId', 'abc'],
    ['scopedAccessKeyId', 'asia-lowercase-key'],
    ['scopedAccessKeyId', 'SHORT'],
    ['scopedSecretAccessKey', 'short'],
    ['scopedSessionToken', ''],
    ['scopedCredentialsExpiration', 'tomorrow'],
  ])('refuses an invalid %s', (key, value) => {
    // Prepare
    const attributes = { ...toSessionAttributes(tenantA, credentials), [key]: value };

    // Act
    let error: unknown;
    try {
      fromSessionAttributes(attributes);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidSessionAttributesError);
    expect((error as InvalidSessionAttributesError).issues).toEqual([
      expect.stringMatching(new RegExp(`^${key}: `)),
    ]);
  });

  it('never names a secret value in the error', () => {
    // Prepare
    const attributes = {
      ...toSessionAttributes(tenantA, credentials),
      tenantId: '*',
      scopedSecretAccessKey: 'short',
    };

    // Act
    let error: unknown;
    try {
      fromSessionAttributes(attributes);
    } catch (caught) {
      error = caught;
    }

    // Assess
    const text = JSON.stringify({
      message: (error as Error).message,
      issues: (error as InvalidSessionAttributesError).issues,
    });
    expect(text).not.toContain(credentials.sessionToken);
    expect(text).not.toContain('short');
    expect(text).not.toContain(credentials.accessKeyId);
  });

  it('reads the tenant from the tenant attributes only', () => {
    // Prepare: credentials of tenant-a with a forged extra attribute
    const attributes = {
      ...toSessionAttributes(tenantA, credentials),
      'custom:tenantId': 'tenant-b',
      tenant: 'tenant-b',
    };

    // Act
    const { tenant } = fromSessionAttributes(attributes);

    // Assess
    expect(tenant).toEqual({ tenantId: 'tenant-a', userId: userA });
  });
});
