import { type Env, env, readEnv } from '@tenant-assistant/lambda-kit/config';
import * as z from 'zod';

export { once } from '@tenant-assistant/lambda-kit/config';

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

/** Reads `COGNITO_USER_POOL_ID`; throws ConfigurationError when it is missing. */
export const userPoolIdFromEnv = (source: Env = process.env): string =>
  readEnv(z.object({ COGNITO_USER_POOL_ID: env.string() }), source).COGNITO_USER_POOL_ID;

/** Reads `EVENT_BUS_NAME` (the control-plane bus); throws ConfigurationError when it is missing. */
export const eventBusNameFromEnv = (source: Env = process.env): string =>
  readEnv(z.object({ EVENT_BUS_NAME: env.string() }), source).EVENT_BUS_NAME;

/** Reads `TENANTS_TABLE_NAME` (the tenant registry); throws ConfigurationError when it is missing. */
export const tenantsTableNameFromEnv = (source: Env = process.env): string =>
  readEnv(z.object({ TENANTS_TABLE_NAME: env.string() }), source).TENANTS_TABLE_NAME;

/**
 * Reads `TENANT_FILES_BUCKET` (the tenant-files bucket); unset or blank = no bucket (the local
 * stage, which has no S3 stand-in: offboarding then has no files to delete).
 */
export const tenantFilesBucketFromEnv = (source: Env = process.env): string | undefined =>
  readEnv(z.object({ TENANT_FILES_BUCKET: env.optional(env.string(), undefined) }), source)
    .TENANT_FILES_BUCKET;

/** Reads the browser origins CORS allows (comma-separated `WEB_ORIGIN`); throws when none is set. */
export const webOriginsFromEnv = (source: Env = process.env): string[] =>
  readEnv(z.object({ WEB_ORIGIN: env.list() }), source).WEB_ORIGIN;

const passwordPolicyEnv = z.object({
  PASSWORD_MINIMUM_LENGTH: env.integer({ min: 6, max: 99 }),
  PASSWORD_REQUIRE_UPPERCASE: env.boolean(),
  PASSWORD_REQUIRE_LOWERCASE: env.boolean(),
  PASSWORD_REQUIRE_NUMBERS: env.boolean(),
  PASSWORD_REQUIRE_SYMBOLS: env.boolean(),
  TEMPORARY_PASSWORD_VALIDITY_DAYS: env.integer({ min: 0, max: 365 }),
});

/**
 * Reads the pool's password policy from `PASSWORD_MINIMUM_LENGTH`, `PASSWORD_REQUIRE_UPPERCASE`,
 * `PASSWORD_REQUIRE_LOWERCASE`, `PASSWORD_REQUIRE_NUMBERS`, `PASSWORD_REQUIRE_SYMBOLS` and
 * `TEMPORARY_PASSWORD_VALIDITY_DAYS` (serverless.yml sets them from the pool's stage parameters).
 */
export const passwordPolicyFromEnv = (source: Env = process.env): PasswordPolicy => {
  const policy = readEnv(passwordPolicyEnv, source);
  return {
    minimumLength: policy.PASSWORD_MINIMUM_LENGTH,
    requireUppercase: policy.PASSWORD_REQUIRE_UPPERCASE,
    requireLowercase: policy.PASSWORD_REQUIRE_LOWERCASE,
    requireNumbers: policy.PASSWORD_REQUIRE_NUMBERS,
    requireSymbols: policy.PASSWORD_REQUIRE_SYMBOLS,
    temporaryPasswordValidityDays: policy.TEMPORARY_PASSWORD_VALIDITY_DAYS,
  };
};
