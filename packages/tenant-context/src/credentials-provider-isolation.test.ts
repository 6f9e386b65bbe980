import { AssumeRoleCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import {
  roleArn,
  tables,
  tenantA,
  tenantAUserB,
  tenantBUserA,
  unchecked,
  useFakeSts,
} from '../test/credentials';
import { userA, userB } from '../test/ids';
import { createScopedCredentialsProvider } from './credentials';
import { InvalidTenantIdError, InvalidUserIdError, ScopedCredentialsError } from './errors';
import { tenantContext } from './identity';

describe('createScopedCredentialsProvider', () => {
  const fake = useFakeSts();
  const { stsMock, sts, assumeRoleSucceeds, provider } = fake;

  it('never shares credentials between different tenants or users', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider();

    // Act
    const [a, aUserB, bUserA, aAgain] = await Promise.all([
      cache.get(tenantA),
      cache.get(tenantAUserB),
      cache.get(tenantBUserA),
      cache.get(tenantA),
    ]);

    // Assess
    expect(new Set([a, aUserB, bUserA]).size).toBe(3);
    expect(aAgain).toBe(a);
    const tags = stsMock
      .commandCalls(AssumeRoleCommand)
      .map((call) => call.args[0].input.Tags?.map((tag) => tag.Value).join('/'));
    expect(tags).toEqual([`tenant-a/${userA}`, `tenant-a/${userB}`, `tenant-b/${userA}`]);
    expect(cache.size).toBe(3);
  });

  it('does not confuse a tenant and user pair whose joined key would collide', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider();

    // Act
    const first = await cache.get(tenantContext({ tenantId: 'tenant-a', userId: userA }));
    const second = await cache.get(tenantContext({ tenantId: 'tenant-a0', userId: userA }));

    // Assess
    expect(second).not.toBe(first);
  });

  it('does not cache a failed AssumeRole and retries on the next call', async () => {
    // Prepare
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(new Error('AccessDenied'))
      .resolves({
        Credentials: {
          AccessKeyId: 'ASIAEXAMPLE000000009',
          SecretAccessKey: 'secret-after-retry',
          SessionToken: 'token-after-retry',
          Expiration: new Date(fake.now + 3_600_000),
        },
      });
    const cache = provider();

    // Act
    const concurrent = await Promise.allSettled([cache.get(tenantA), cache.get(tenantA)]);
    const sizeAfterFailure = cache.size;
    const retried = await cache.get(tenantA);

    // Assess
    expect(concurrent.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    const reason = (concurrent[0] as PromiseRejectedResult).reason as ScopedCredentialsError;
    expect(reason).toBeInstanceOf(ScopedCredentialsError);
    expect(reason.message).toBe('AssumeRole for tenant-scoped credentials failed');
    expect(reason.cause).toEqual(new Error('AccessDenied'));
    expect(sizeAfterFailure).toBe(0);
    expect(retried.accessKeyId).toBe('ASIAEXAMPLE000000009');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it.each([
    ['no credentials', {}],
    [
      'no session token',
      { Credentials: { AccessKeyId: 'ASIAX', SecretAccessKey: 's', Expiration: new Date() } },
    ],
    ['no expiration', { Credentials: { AccessKeyId: 'ASIAX', SecretAccessKey: 's', SessionToken: 't' } }],
  ])('refuses an AssumeRole answer with %s, and does not cache it', async (_label, output) => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves(output as AssumeRoleCommandOutput);
    const cache = provider();

    // Act / Assess
    await expect(cache.get(tenantA)).rejects.toThrow(
      new ScopedCredentialsError('AssumeRole returned no credentials'),
    );
    expect(cache.size).toBe(0);
  });

  it('refuses unvalidated ids before calling STS', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider();

    // Act / Assess
    await expect(cache.get(unchecked('*', userA))).rejects.toThrow(InvalidTenantIdError);
    await expect(cache.get(unchecked('tenant-a', '*'))).rejects.toThrow(InvalidUserIdError);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('keeps at most maxEntries pairs, dropping the least recently used', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider({ maxEntries: 2 });
    const a = await cache.get(tenantA);
    await cache.get(tenantAUserB);

    // Act
    await cache.get(tenantA); // tenantA becomes the most recently used
    await cache.get(tenantBUserA); // evicts tenantAUserB
    const aAgain = await cache.get(tenantA);
    await cache.get(tenantAUserB); // assumed again

    // Assess
    expect(cache.size).toBe(2);
    expect(aAgain).toBe(a);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(4);
  });

  it('does not let an evicted in-flight call fail the entry that replaced it', async () => {
    // Prepare
    let rejectFirst: (error: Error) => void = () => {};
    stsMock
      .on(AssumeRoleCommand)
      .callsFakeOnce(
        () =>
          new Promise((_resolve, reject) => {
            rejectFirst = reject;
          }),
      )
      .callsFake(async () => ({
        Credentials: {
          AccessKeyId: 'ASIAEXAMPLE000000002',
          SecretAccessKey: 'secret-2',
          SessionToken: 'token-2',
          Expiration: new Date(fake.now + 3_600_000),
        },
      }));
    const cache = provider({ maxEntries: 1 });
    const inFlight = cache.get(tenantA);
    await cache.get(tenantAUserB); // evicts the in-flight entry of tenantA

    // Act
    rejectFirst(new Error('throttled'));

    // Assess
    await expect(inFlight).rejects.toThrow(ScopedCredentialsError);
    expect(cache.size).toBe(1);
  });

  it('uses the system clock and a one-hour duration by default', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE000000001',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const cache = createScopedCredentialsProvider({ roleArn, sts, tables });

    // Act
    const first = await cache.get(tenantA);
    const second = await cache.get(tenantA);

    // Assess
    expect(second).toBe(first);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input.DurationSeconds).toBe(3600);
  });

  it('forgets everything on clear', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider();
    await cache.get(tenantA);

    // Act
    cache.clear();
    await cache.get(tenantA);

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });
});
