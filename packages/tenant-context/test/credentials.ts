import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createScopedCredentialsProvider, type ScopedCredentials } from '../src/credentials';
import { type TenantContext, tenantContext } from '../src/identity';
import { userA, userB } from './ids';

/** An IAM policy variable such as `${aws:PrincipalTag/tenantId}` (built so it is not a template). */
export const policyVariable = (name: string): string => `$\{${name}}`;

export const tables = {
  tenantConfigTableArn:
    'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-assistant-order-action-group-dev-tenant-config',
  ordersTableArnPrefix:
    'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-assistant-order-action-group-dev-orders-',
};
export const roleArn = 'arn:aws:iam::123456789012:role/TenantDataAccessRole';
export const tenantA = tenantContext({ tenantId: 'tenant-a', userId: userA });
export const tenantAUserB = tenantContext({ tenantId: 'tenant-a', userId: userB });
export const tenantBUserA = tenantContext({ tenantId: 'tenant-b', userId: userA });
/** A pair that never went through the id checks (what a caller that skips them would pass). */
export const unchecked = (tenantId: string, userId: string) =>
  ({ tenantId, userId }) as unknown as TenantContext;

/** Scoped credentials as STS would issue them. */
export const credentials: ScopedCredentials = Object.freeze({
  accessKeyId: 'ASIAEXAMPLE000000001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDExampleSessionToken',
  expiration: new Date('2025-01-01T13:00:00.000Z'),
});

/**
 * A mocked STS and a fake clock for createScopedCredentialsProvider, reset before each test
 * (the clock at 2025-01-01T12:00:00Z; move it with `fake.now`).
 */
export const useFakeSts = () => {
  const stsMock = mockClient(STSClient);
  const sts = new STSClient({ region: 'us-east-1' });
  let issued = 0;
  const fake = {
    stsMock,
    sts,
    now: 0,
    clock: () => fake.now,
    /** STS answers with fresh credentials valid for an hour from the fake clock. */
    assumeRoleSucceeds: () =>
      stsMock.on(AssumeRoleCommand).callsFake(async () => {
        issued += 1;
        return {
          Credentials: {
            AccessKeyId: `ASIAEXAMPLE${String(issued).padStart(9, '0')}`,
            SecretAccessKey: `secret-${issued}-wJalrXUtnFEMI/K7MDENG`,
            SessionToken: `token-${issued}-FwoGZXIvYXdzEJr`,
            Expiration: new Date(fake.now + 3_600_000),
          },
        };
      }),
    provider: (options: { maxEntries?: number } = {}) =>
      createScopedCredentialsProvider({ roleArn, sts, tables, clock: fake.clock, ...options }),

    /** A provider that STS answers, with tenant A's credentials already fetched (`first`). */
    warmProvider: async () => {
      fake.assumeRoleSucceeds();
      const cache = fake.provider();
      const first = await cache.get(tenantA);
      return { cache, first };
    },
  };

  beforeEach(() => {
    stsMock.reset();
    fake.now = Date.parse('2025-01-01T12:00:00Z');
    issued = 0;
  });

  return fake;
};
