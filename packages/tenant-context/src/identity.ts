import * as z from 'zod';
import { InvalidTenantIdError, InvalidUserIdError } from './errors';

/** A tenant id that passed {@link parseTenantId}: safe inside IAM policies, table names and keys. */
export type TenantId = string & { readonly __brand: 'TenantId' };
/** A user id (Cognito `sub`) that passed {@link parseUserId}. */
export type UserId = string & { readonly __brand: 'UserId' };

/** Who is asking: always established by deterministic code from a verified source. */
export interface TenantContext {
  readonly tenantId: TenantId;
  readonly userId: UserId;
}

/** Lowercase letters, digits and dashes, 2–63 characters, starting with a letter or digit. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** A lowercase UUID, the shape of a Cognito `sub`. */
export const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** zod schema of a tenant id; parses to the branded {@link TenantId}. */
export const tenantIdSchema = z
  .string()
  .regex(TENANT_ID_PATTERN, 'must match ^[a-z0-9][a-z0-9-]{1,62}$')
  .transform((value) => value as TenantId);

/** zod schema of a user id (Cognito sub); parses to the branded {@link UserId}. */
export const userIdSchema = z
  .string()
  .regex(USER_ID_PATTERN, 'must be a lowercase UUID (Cognito sub)')
  .transform((value) => value as UserId);

/**
 * Parses a tenant id, refusing anything that could widen an IAM policy or a table name
 * (`*`, `?`, `$`, `{`, `/`, `:`, whitespace, uppercase, empty, too long).
 * @example parseTenantId('tenant1') // 'tenant1'
 * @example parseTenantId('*') // throws InvalidTenantIdError
 */
export const parseTenantId = (value: unknown): TenantId => {
  if (typeof value !== 'string' || !TENANT_ID_PATTERN.test(value)) throw new InvalidTenantIdError();
  return value as TenantId;
};

/**
 * Parses a user id (Cognito `sub`).
 * @example parseUserId('6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c')
 */
export const parseUserId = (value: unknown): UserId => {
  if (typeof value !== 'string' || !USER_ID_PATTERN.test(value)) throw new InvalidUserIdError();
  return value as UserId;
};

/** True when `value` is a valid tenant id. @example isTenantId('tenant1') // true */
export const isTenantId = (value: unknown): value is TenantId =>
  typeof value === 'string' && TENANT_ID_PATTERN.test(value);

/** True when `value` is a valid user id. @example isUserId('abc') // false */
export const isUserId = (value: unknown): value is UserId =>
  typeof value === 'string' && USER_ID_PATTERN.test(value);

/**
 * Builds a frozen {@link TenantContext} from raw values, validating both.
 * @example const ctx = tenantContext({ tenantId: 'tenant1', userId: sub });
 */
export const tenantContext = (input: { tenantId: unknown; userId: unknown }): TenantContext =>
  Object.freeze({ tenantId: parseTenantId(input.tenantId), userId: parseUserId(input.userId) });

/** The user-pool attribute that holds a user's tenant (immutable, not writable by any app client). */
export const TENANT_ID_ATTRIBUTE = 'custom:tenantId';
