import { ConfigurationError } from './errors';

/** The Cognito password policy the pool enforces (same stage parameters as the user pool). */
export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  /** Days a temporary password stays valid. */
  temporaryPasswordValidityDays: number;
}

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new ConfigurationError(`${name} is not set`);
  return value;
};

const integer = (env: NodeJS.ProcessEnv, name: string, min: number, max: number): number => {
  const raw = required(env, name);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
};

const boolean = (env: NodeJS.ProcessEnv, name: string): boolean => {
  const raw = required(env, name).toLowerCase();
  if (raw !== 'true' && raw !== 'false') {
    throw new ConfigurationError(`${name} must be "true" or "false", got ${JSON.stringify(raw)}`);
  }
  return raw === 'true';
};

/** Reads `COGNITO_USER_POOL_ID`; throws ConfigurationError when it is missing. */
export const userPoolIdFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  required(env, 'COGNITO_USER_POOL_ID');

/** Reads `EVENT_BUS_NAME` (the control-plane bus); throws ConfigurationError when it is missing. */
export const eventBusNameFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  required(env, 'EVENT_BUS_NAME');

/** Reads `TENANTS_TABLE_NAME` (the tenant registry); throws ConfigurationError when it is missing. */
export const tenantsTableNameFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  required(env, 'TENANTS_TABLE_NAME');

/** Reads the browser origins CORS allows (comma-separated `WEB_ORIGIN`); throws when none is set. */
export const webOriginsFromEnv = (env: NodeJS.ProcessEnv = process.env): string[] =>
  required(env, 'WEB_ORIGIN')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);

/**
 * Reads the pool's password policy from `PASSWORD_MINIMUM_LENGTH`, `PASSWORD_REQUIRE_UPPERCASE`,
 * `PASSWORD_REQUIRE_LOWERCASE`, `PASSWORD_REQUIRE_NUMBERS`, `PASSWORD_REQUIRE_SYMBOLS` and
 * `TEMPORARY_PASSWORD_VALIDITY_DAYS` (serverless.yml sets them from the pool's stage parameters).
 */
export const passwordPolicyFromEnv = (env: NodeJS.ProcessEnv = process.env): PasswordPolicy => ({
  minimumLength: integer(env, 'PASSWORD_MINIMUM_LENGTH', 6, 99),
  requireUppercase: boolean(env, 'PASSWORD_REQUIRE_UPPERCASE'),
  requireLowercase: boolean(env, 'PASSWORD_REQUIRE_LOWERCASE'),
  requireNumbers: boolean(env, 'PASSWORD_REQUIRE_NUMBERS'),
  requireSymbols: boolean(env, 'PASSWORD_REQUIRE_SYMBOLS'),
  temporaryPasswordValidityDays: integer(env, 'TEMPORARY_PASSWORD_VALIDITY_DAYS', 0, 365),
});

/**
 * Memoises a configuration reader: the environment is read on first use (at cold start, not at
 * import, so tests can import handlers freely) and the result is kept for the container's life.
 * A failed read is not cached.
 * @example const config = once(() => ({ userPoolId: userPoolIdFromEnv() }));
 */
export const once = <T>(read: () => T): (() => T) => {
  let cached: { value: T } | undefined;
  return () => {
    cached ??= { value: read() };
    return cached.value;
  };
};
