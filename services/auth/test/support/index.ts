import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { TenantRegistry } from '../../src/adapters/tenants-table';
import type { PasswordPolicy } from '../../src/config';
import type { PreTokenGenerationEvent } from '../../src/domain/claims';
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

const SIGN_IN_SUB = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';

/** A pre-token-generation V2 event as Cognito sends it for a sign-in (the trigger's tests). */
export const preTokenEvent = (
  attributes: Record<string, string> = { 'custom:tenantId': 'acme' },
  groups: string[] = ['tenant-acme'],
): PreTokenGenerationEvent => ({
  version: '2',
  triggerSource: 'TokenGeneration_Authentication',
  region: 'us-east-1',
  userPoolId: 'us-east-1_AbCdEf123',
  userName: 'ann',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '4example5client6id7web8' },
  request: {
    userAttributes: {
      sub: SIGN_IN_SUB,
      'cognito:user_status': 'CONFIRMED',
      email_verified: 'true',
      email: 'ann@acme.test',
      ...attributes,
    },
    groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: null },
    scopes: ['openid', 'email', 'profile'],
  },
  response: { claimsAndScopeOverrideDetails: null },
});
