import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { TenantRegistry } from '../../src/adapters/tenants-table';
import type { PasswordPolicy } from '../../src/config';
import type { TenantRecord } from '../../src/domain/tenant-record';
import { InvalidInputError } from '../../src/errors';

/** A logger that writes nothing (tests that inspect logs use captureOutput with the real one). */
export const silentLogger = () => createLogger({ serviceName: 'auth-test', logLevel: 'SILENT' });

/** An AWS SDK service exception as the SDK throws it (name, message, $fault, $metadata). */
export const awsError = (name: string, message = name): Error =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });

/** A tenant as the registry stores it (ACTIVE unless told). */
export const tenantRecord = (tenantId: string, overrides: Partial<TenantRecord> = {}): TenantRecord => ({
  tenantId: tenantId as TenantRecord['tenantId'],
  name: `Tenant ${tenantId}`,
  returnPolicyDays: 30,
  tier: 'standard',
  status: 'ACTIVE',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

/** An in-memory registry with the `get` of the real one (for handlers that only read it). */
export const registryOf = (...records: TenantRecord[]): Pick<TenantRegistry, 'get'> => {
  const byId = new Map(records.map((record) => [record.tenantId as string, record]));
  return { get: async (tenantId) => byId.get(tenantId) };
};

/** The error `promise` rejects with (a test fails when it resolves instead). */
export const rejectionOf = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection, got a result');
    },
    (error: unknown) => error as Error,
  );

/** The pool's password policy (Cognito's defaults: 12 characters of every class, 3-day temporary passwords). */
export const passwordPolicy = (overrides: Partial<PasswordPolicy> = {}): PasswordPolicy => ({
  minimumLength: 12,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 3,
  ...overrides,
});

/** Asserts that `error` is the InvalidInputError of `operation` and names `issue`. */
export const expectInvalidInput = (error: Error, operation: string, issue: string) => {
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error.message).toMatch(new RegExp(`^Invalid ${operation} input: `));
  expect(error.message).toContain(issue);
};
