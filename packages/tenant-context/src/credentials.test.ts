import { AssumeRoleCommand, type AssumeRoleCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createScopedCredentialsProvider,
  fromSessionAttributes,
  type ScopedCredentials,
  SESSION_ATTRIBUTE_KEYS,
  scopedDocumentClient,
  TENANT_DATA_ACTIONS,
  tenantSessionPolicy,
  toSessionAttributes,
} from './credentials';
import {
  InvalidSessionAttributesError,
  InvalidTenantIdError,
  InvalidUserIdError,
  ScopedCredentialsError,
} from './errors';
import { type TenantContext, tenantContext } from './identity';

/** An IAM policy variable such as `${aws:PrincipalTag/tenantId}` (built so it is not a template). */
const policyVariable = (name: string): string => `$\{${name}}`;

const tables = {
  tenantConfigTableArn:
    'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-assistant-order-action-group-dev-tenant-config',
  ordersTableArnPrefix:
    'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-assistant-order-action-group-dev-orders-',
};
const roleArn = 'arn:aws:iam::123456789012:role/TenantDataAccessRole';
const userA = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
const userB = '0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f';
const tenantA = tenantContext({ tenantId: 'tenant-a', userId: userA });
const tenantAUserB = tenantContext({ tenantId: 'tenant-a', userId: userB });
const tenantBUserA = tenantContext({ tenantId: 'tenant-b', userId: userA });
const unchecked = (tenantId: string, userId: string) => ({ tenantId, userId }) as unknown as TenantContext;

describe('tenantSessionPolicy', () => {
  it('allows only GetItem and Query on the own tenant key and the own user key', () => {
    // Act
    const policy = tenantSessionPolicy(tenantA, tables);

    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadOwnTenantConfig',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: [tables.tenantConfigTableArn],
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['tenant-a'] },
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        },
        {
          Sid: 'ReadOwnOrders',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: [`${tables.ordersTableArnPrefix}tenant-a`],
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [userA] },
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        },
      ],
    });
    expect(TENANT_DATA_ACTIONS).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('contains no wildcard and no policy variable', () => {
    expect(JSON.stringify(tenantSessionPolicy(tenantA, tables))).not.toMatch(/[*?$]/);
  });

  it.each([
    ['*', userA, InvalidTenantIdError],
    [policyVariable('aws:PrincipalTag/tenantId'), userA, InvalidTenantIdError],
    ['tenant-a', '*', InvalidUserIdError],
    ['tenant-a', policyVariable('aws:userid'), InvalidUserIdError],
  ])('refuses the unvalidated ids %p / %p', (tenantId, userId, errorType) => {
    expect(() => tenantSessionPolicy(unchecked(tenantId, userId), tables)).toThrow(errorType);
  });

  const configMessage = 'tenantConfigTableArn is not a DynamoDB table ARN';
  const prefixMessage = 'ordersTableArnPrefix is not a DynamoDB table ARN prefix';
  it.each([
    [
      'a wildcard config table',
      { ...tables, tenantConfigTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/*' },
      configMessage,
    ],
    ['a non-table config ARN', { ...tables, tenantConfigTableArn: 'arn:aws:s3:::bucket' }, configMessage],
    [
      'a config index ARN',
      { ...tables, tenantConfigTableArn: `${tables.tenantConfigTableArn}/index/x` },
      configMessage,
    ],
    [
      'a wildcard orders prefix',
      { ...tables, ordersTableArnPrefix: 'arn:aws:dynamodb:us-east-1:123456789012:table/*' },
      prefixMessage,
    ],
    [
      'an orders prefix with a variable',
      {
        ...tables,
        ordersTableArnPrefix: `arn:aws:dynamodb:us-east-1:123456789012:table/${policyVariable('x')}-`,
      },
      prefixMessage,
    ],
    [
      'an orders prefix without a table part',
      { ...tables, ordersTableArnPrefix: 'arn:aws:dynamodb:us-east-1:123456789012:' },
      prefixMessage,
    ],
  ])('refuses %s', (_label, badTables, message) => {
    expect(() => tenantSessionPolicy(tenantA, badTables)).toThrow(new ScopedCredentialsError(message));
  });
});

describe('createScopedCredentialsProvider', () => {
  const stsMock = mockClient(STSClient);
  const sts = new STSClient({ region: 'us-east-1' });
  let now: number;
  let issued: number;
  const clock = () => now;

  /** STS answers with fresh credentials valid for an hour from the fake clock. */
  const assumeRoleSucceeds = () =>
    stsMock.on(AssumeRoleCommand).callsFake(async () => {
      issued += 1;
      return {
        Credentials: {
          AccessKeyId: `ASIAEXAMPLE${String(issued).padStart(9, '0')}`,
          SecretAccessKey: `secret-${issued}-wJalrXUtnFEMI/K7MDENG`,
          SessionToken: `token-${issued}-FwoGZXIvYXdzEJr`,
          Expiration: new Date(now + 3_600_000),
        },
      };
    });

  const provider = (options: { maxEntries?: number } = {}) =>
    createScopedCredentialsProvider({ roleArn, sts, tables, clock, ...options });

  beforeEach(() => {
    stsMock.reset();
    now = Date.parse('2025-01-01T12:00:00Z');
    issued = 0;
  });

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
      expiration: new Date(now + 3_600_000),
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
    assumeRoleSucceeds();
    const cache = provider();
    const first = await cache.get(tenantA);

    // Act
    now += 30 * 60_000;
    const second = await cache.get(tenantA);

    // Assess
    expect(second).toBe(first);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('refreshes the credentials 5 minutes before they expire', async () => {
    // Prepare
    assumeRoleSucceeds();
    const cache = provider();
    const first = await cache.get(tenantA);

    // Act
    now += 55 * 60_000 - 1; // 5 minutes and 1 ms before expiry: still fresh
    const stillCached = await cache.get(tenantA);
    now += 1; // exactly 5 minutes before expiry: refresh
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
    assumeRoleSucceeds();
    const cache = provider();
    const first = await cache.get(tenantA);
    now += 55 * 60_000;

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
    now += 55 * 60_000;
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
        Expiration: new Date(now + validForMs),
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
    now += 59 * 60_000;
    const cached = await cache.get(tenantA);

    // Assess
    expect(cached).toBe(first);
  });

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
          Expiration: new Date(now + 3_600_000),
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
          Expiration: new Date(now + 3_600_000),
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

const credentials: ScopedCredentials = Object.freeze({
  accessKeyId: 'ASIAEXAMPLE000000001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDExampleSessionToken',
  expiration: new Date('2025-01-01T13:00:00.000Z'),
});

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

describe('scopedDocumentClient', () => {
  it('signs with the scoped credentials', async () => {
    // Act
    const client = scopedDocumentClient(credentials);

    // Assess
    const resolved = await client.config.credentials();
    expect(resolved).toMatchObject({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    });
  });

  it('reuses the client for the same credentials', () => {
    expect(scopedDocumentClient({ ...credentials })).toBe(scopedDocumentClient(credentials));
  });

  it.each([
    ['another secret', { secretAccessKey: 'forged-secret-access-key-000000' }],
    ['another session token', { sessionToken: 'forged-session-token-00000' }],
    [
      'another secret and session token',
      { secretAccessKey: 'forged-secret-access-key-000000', sessionToken: 'forged-session-token-00000' },
    ],
  ])('never hands out a client for the same access key id with %s', async (_case, changed) => {
    // Prepare
    const genuine = scopedDocumentClient(credentials);
    const forged: ScopedCredentials = { ...credentials, ...changed };

    // Act
    const client = scopedDocumentClient(forged);

    // Assess
    expect(client).not.toBe(genuine);
    expect(await client.config.credentials()).toMatchObject({
      secretAccessKey: forged.secretAccessKey,
      sessionToken: forged.sessionToken,
    });
  });

  it('drops undefined attribute values when writing (document client marshalling)', () => {
    expect(scopedDocumentClient(credentials).config.translateConfig?.marshallOptions).toMatchObject({
      removeUndefinedValues: true,
    });
  });

  it('keeps at most 100 clients', () => {
    // Prepare
    const first = scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAEVICTED000000000' });

    // Act
    for (let index = 0; index < 100; index += 1) {
      scopedDocumentClient({ ...credentials, accessKeyId: `ASIAFILL${String(index).padStart(12, '0')}` });
    }

    // Assess
    expect(scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAEVICTED000000000' })).not.toBe(first);
  });

  const fill = (tag: string, count: number) => {
    for (let index = 0; index < count; index += 1) {
      scopedDocumentClient({ ...credentials, accessKeyId: `ASIA${tag}${String(index).padStart(12, '0')}` });
    }
  };

  it('keeps a client while fewer than 100 others were made after it', () => {
    // Prepare
    const kept = scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAKEPT000000000000' });

    // Act
    fill('KEEP', 99);

    // Assess
    expect(scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAKEPT000000000000' })).toBe(kept);
  });

  it('drops the least recently used client, not the oldest made', () => {
    // Prepare
    const used = scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAUSED000000000000' });
    fill('LRUA', 99);

    // Act
    scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAUSED000000000000' });
    fill('LRUB', 1);

    // Assess
    expect(scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAUSED000000000000' })).toBe(used);
  });

  it('counts a client replaced for new credentials as the most recently used', () => {
    // Prepare
    scopedDocumentClient({ ...credentials, accessKeyId: 'ASIARENEW00000000000' });
    fill('RENA', 99);
    const renewed = scopedDocumentClient({
      ...credentials,
      accessKeyId: 'ASIARENEW00000000000',
      sessionToken: 'renewed-session-token-0000',
    });

    // Act
    fill('RENB', 1);

    // Assess
    expect(
      scopedDocumentClient({
        ...credentials,
        accessKeyId: 'ASIARENEW00000000000',
        sessionToken: 'renewed-session-token-0000',
      }),
    ).toBe(renewed);
  });
});
