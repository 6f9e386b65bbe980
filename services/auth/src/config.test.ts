import {
  eventBusNameFromEnv,
  once,
  passwordPolicyFromEnv,
  tenantFilesBucketFromEnv,
  userPoolIdFromEnv,
} from './config';
import { ConfigurationError } from './errors';

const passwordEnv = {
  PASSWORD_MINIMUM_LENGTH: '12',
  PASSWORD_REQUIRE_UPPERCASE: 'true',
  PASSWORD_REQUIRE_LOWERCASE: 'true',
  PASSWORD_REQUIRE_NUMBERS: 'false',
  PASSWORD_REQUIRE_SYMBOLS: 'TRUE',
  TEMPORARY_PASSWORD_VALIDITY_DAYS: '3',
};

describe('userPoolIdFromEnv', () => {
  it('reads COGNITO_USER_POOL_ID', () => {
    // Act / Assess
    expect(userPoolIdFromEnv({ COGNITO_USER_POOL_ID: 'us-east-1_LocalDev1' })).toBe('us-east-1_LocalDev1');
  });

  it.each([
    ['missing', {}],
    ['blank', { COGNITO_USER_POOL_ID: '  ' }],
  ])('throws ConfigurationError when it is %s', (_, env) => {
    // Act / Assess
    expect(() => userPoolIdFromEnv(env)).toThrow(new ConfigurationError('COGNITO_USER_POOL_ID is not set'));
  });
});

describe('eventBusNameFromEnv', () => {
  it('reads EVENT_BUS_NAME, and throws ConfigurationError without it', () => {
    // Act / Assess
    expect(eventBusNameFromEnv({ EVENT_BUS_NAME: 'tenant-assistant-control-dev' })).toBe(
      'tenant-assistant-control-dev',
    );
    expect(() => eventBusNameFromEnv({})).toThrow('EVENT_BUS_NAME is not set');
  });
});

describe('passwordPolicyFromEnv', () => {
  it('reads the policy', () => {
    // Act / Assess
    expect(passwordPolicyFromEnv(passwordEnv)).toEqual({
      minimumLength: 12,
      requireUppercase: true,
      requireLowercase: true,
      requireNumbers: false,
      requireSymbols: true,
      temporaryPasswordValidityDays: 3,
    });
  });

  it.each([
    [{ PASSWORD_MINIMUM_LENGTH: undefined }, 'PASSWORD_MINIMUM_LENGTH is not set'],
    [
      { PASSWORD_MINIMUM_LENGTH: 'twelve' },
      'PASSWORD_MINIMUM_LENGTH must be an integer from 6 to 99, got "twelve"',
    ],
    [{ PASSWORD_MINIMUM_LENGTH: '100' }, 'PASSWORD_MINIMUM_LENGTH must be an integer from 6 to 99'],
    [{ PASSWORD_REQUIRE_SYMBOLS: 'yes' }, 'PASSWORD_REQUIRE_SYMBOLS must be "true" or "false", got "yes"'],
    [{ TEMPORARY_PASSWORD_VALIDITY_DAYS: '-1' }, 'TEMPORARY_PASSWORD_VALIDITY_DAYS must be an integer'],
  ])('throws ConfigurationError for %j', (override, message) => {
    // Act / Assess
    expect(() => passwordPolicyFromEnv({ ...passwordEnv, ...override })).toThrow(message);
  });
});

describe('once', () => {
  it('reads on first use only and keeps the value', () => {
    // Act
    const read = jest.fn(() => ({ value: 1 }));
    const config = once(read);

    // Assess
    expect(read).not.toHaveBeenCalled();
    expect(config()).toBe(config());
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed read', () => {
    // Act
    const read = jest.fn().mockImplementationOnce(() => {
      throw new ConfigurationError('X is not set');
    });
    read.mockReturnValue('ok');
    const config = once(read);

    // Assess
    expect(() => config()).toThrow('X is not set');
    expect(config()).toBe('ok');
  });
});

describe('tenantFilesBucketFromEnv', () => {
  it('reads the bucket, and no bucket when unset or blank (the local stage)', () => {
    // Act / Assess
    expect(tenantFilesBucketFromEnv({ TENANT_FILES_BUCKET: 'files-bucket' })).toBe('files-bucket');
    expect(tenantFilesBucketFromEnv({ TENANT_FILES_BUCKET: '' })).toBeUndefined();
    expect(tenantFilesBucketFromEnv({})).toBeUndefined();
  });
});
