import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { roleArn, tables, tenantA, useFakeSts } from '../test/credentials';
import { userA } from '../test/ids';
import { createScopedCredentialsProvider, tenantSessionPolicy } from './credentials';
import { tenantContext } from './identity';

describe('createScopedCredentialsProvider', () => {
  const fake = useFakeSts();
  const { stsMock, sts, clock, assumeRoleSucceeds, provider, warmProvider } = fake;

  it('assumes the role with the tenant and user session tags and the session policy', async () => {
    // Prepare
    assumeRoleSucceeds();

    // Act
    const credentials = await createScopedCredentialsProvider({
      roleArn,
      sts,
      tables,
      clock,
      durationSeconds: 900,
    }).get(tenantA);

    // Assess
    const calls = stsMock.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      RoleArn: roleArn,
      DurationSeconds: 900,
      Tags: [
        { Key: 'tenantId', Value: 'tenant-a' },
        { Key: 'userId', Value: userA },
      ],
    });
    expect(JSON.parse(input?.Policy ?? '{}')).toEqual(tenantSessionPolicy(tenantA, tables));
    expect(input?.RoleSessionName).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(credentials).toEqual({
      accessKeyId: 'ASIAEXAMPLE000000001',
      secretAccessKey: 'secret-1-wJalrXUtnFEMI/K7MDENG',
      sessionToken: 'token-1-FwoGZXIvYXdzEJr',
      expiration: new Date(fake.now + 3_600_000),
    });
    expect(Object.isFrozen(credentials)).toBe(true);
  });

  it('keeps the role session name within 64 characters for the longest tenant id', async () => {
    // Prepare
    assumeRoleSucceeds();
    const longest = tenantContext({ tenantId: `t${'x'.repeat(62)}`, userId: userA });

    // Act
    await provider().get(longest);

    // Assess
    const name = stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleSessionName ?? '';
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[\w+=,.@-]+$/);
  });

  it('shares one AssumeRole among 100 concurrent callers for one (tenant, user)', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider();

    // Act
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.get(tenantA)));

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
  });

  it('serves later calls from the cache', async () => {
    // Prepare
    const { cache, first } = await warmProvider();

    // Act
    fake.now += 30 * 60_000;
    const second = await cache.get(tenantA);

    // Assess
    expect(second).toBe(first);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('refreshes the credentials 5 minutes before they expire', async () => {
    // Prepare
    const { cache, first } = await warmProvider();

    // Act
    fake.now += 55 * 60_000 - 1; // 5 minutes and 1 ms before expiry: still fresh
    const stillCached = await cache.get(tenantA);
    fake.now += 1; // exactly 5 minutes before expiry: refresh
    const refreshed = await cache.get(tenantA);
    const afterRefresh = await cache.get(tenantA);

    // Assess
    expect(stillCached).toBe(first);
    expect(refreshed).not.toBe(first);
    expect(refreshed.accessKeyId).toBe('ASIAEXAMPLE000000002');
    expect(afterRefresh).toBe(refreshed);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('shares one AssumeRole among concurrent callers when the cached credentials need a refresh', async () => {
    // Prepare
    const { cache, first } = await warmProvider();
    fake.now += 55 * 60_000;

    // Act
    const refreshed = await Promise.all(Array.from({ length: 20 }, () => cache.get(tenantA)));

    // Assess
    expect(new Set(refreshed).size).toBe(1);
    expect(refreshed[0]).not.toBe(first);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('does not serve expiring credentials when their refresh fails, nor cache the failure', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider();
    await cache.get(tenantA);
    fake.now += 55 * 60_000;
    stsMock.on(AssumeRoleCommand).rejectsOnce(new Error('Throttling'));

    // Act
    const failed = await Promise.allSettled([cache.get(tenantA), cache.get(tenantA)]);
    const sizeAfterFailure = cache.size;

    // Assess
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(sizeAfterFailure).toBe(0);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it.each([
    ['already inside the refresh margin', 4 * 60_000],
    ['exactly at the refresh margin', 5 * 60_000],
  ])('does not keep credentials that arrive %s', async (_case, validForMs) => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE000000001',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(fake.now + validForMs),
      },
    });
    const cache = provider();

    // Act
    await cache.get(tenantA);
    await cache.get(tenantA);

    // Assess
    expect(cache.size).toBe(0);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('honours a custom refresh margin', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = createScopedCredentialsProvider({ roleArn, sts, tables, clock, refreshBeforeExpiryMs: 0 });
    const first = await cache.get(tenantA);

    // Act
    fake.now += 59 * 60_000;
    const cached = await cache.get(tenantA);

    // Assess
    expect(cached).toBe(first);
  });
});
