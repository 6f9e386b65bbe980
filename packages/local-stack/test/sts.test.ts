import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type LocalSts, LoopbackOnlyError, startLocalSts } from '../src';
import {
  ACCOUNT,
  errorOf,
  LOCAL_CREDENTIALS,
  REGION,
  ROLE_ARN,
  tenantRoles,
  tenantTrustPolicy,
} from './fixtures';

const client = (
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) => new STSClient({ endpoint: url, region: REGION, credentials, maxAttempts: 1 });

const tags = (values: Record<string, string>) =>
  Object.entries(values).map(([Key, Value]) => ({ Key, Value }));

describe('startLocalSts', () => {
  let clock = new Date();
  let sts: LocalSts;
  let caller: STSClient;

  beforeAll(async () => {
    sts = await startLocalSts({ roles: tenantRoles, now: () => clock });
    caller = client(sts.url, LOCAL_CREDENTIALS);
  });

  afterAll(async () => {
    await sts.close();
  });

  beforeEach(() => {
    clock = new Date();
  });

  it('mints session credentials that the AWS SDK parses and remembers role, tags and session policy', async () => {
    // Prepare
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }],
    };

    // Act
    const result = await caller.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'tenant1-user1',
        DurationSeconds: 900,
        Tags: tags({ tenantId: 'tenant1', userId: 'user-1' }),
        Policy: JSON.stringify(policy),
      }),
    );

    // Assess
    const credentials = result.Credentials;
    expect(credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials?.SecretAccessKey).toHaveLength(40);
    expect(credentials?.SessionToken?.length).toBeGreaterThan(100);
    expect(credentials?.Expiration).toBeInstanceOf(Date);
    expect(Math.round(((credentials?.Expiration?.getTime() ?? 0) - clock.getTime()) / 1000)).toBeGreaterThan(
      898,
    );
    expect(result.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/tenant-assistant-dev-TenantDataAccessRole/tenant1-user1`,
    );
    expect(result.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:tenant1-user1$/);
    const session = sts.sessions.get(credentials?.AccessKeyId ?? '');
    expect(session).toMatchObject({
      roleArn: ROLE_ARN,
      tags: { tenantId: 'tenant1', userId: 'user-1' },
      sessionPolicy: policy,
      secretAccessKey: credentials?.SecretAccessKey,
      sessionToken: credentials?.SessionToken,
    });
    expect(session?.expiration.getTime()).toBe(credentials?.Expiration?.getTime());
  });

  it('answers GetCallerIdentity for minted credentials with the assumed-role ARN', async () => {
    // Prepare
    const { Credentials } = await caller.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'whoami',
        Tags: tags({ tenantId: 't1', userId: 'u1' }),
      }),
    );
    const session = client(sts.url, {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    });

    // Act
    const identity = await session.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity).toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/tenant-assistant-dev-TenantDataAccessRole/whoami`,
    });
    expect(identity.UserId).toMatch(/^AROA[A-Z2-7]{17}:whoami$/);
  });

  it('refuses AssumeRole without the userId tag that the trust policy requires', async () => {
    // Act
    const error = await errorOf(
      caller.send(
        new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 's1', Tags: tags({ tenantId: 't1' }) }),
      ),
    );

    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toContain(`is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
  });

  it('refuses AssumeRole without any session tags', async () => {
    const error = await errorOf(
      caller.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 's1' })),
    );

    expect(error.name).toBe('AccessDenied');
  });

  it('refuses AssumeRole with an extra tag key the trust policy does not allow', async () => {
    const error = await errorOf(
      caller.send(
        new AssumeRoleCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: 's1',
          Tags: tags({ tenantId: 't1', userId: 'u1', admin: 'true' }),
        }),
      ),
    );

    expect(error.name).toBe('AccessDenied');
  });

  it('refuses a role it does not know', async () => {
    const error = await errorOf(
      caller.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/SomethingElse`,
          RoleSessionName: 's1',
          Tags: tags({ tenantId: 't1', userId: 'u1' }),
        }),
      ),
    );

    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
  });

  it('refuses credentials whose secret does not match the signature', async () => {
    // Prepare
    const { Credentials } = await caller.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'tamper',
        Tags: tags({ tenantId: 't1', userId: 'u1' }),
      }),
    );
    const forged = client(sts.url, {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: `x${(Credentials?.SecretAccessKey ?? '').slice(1)}`,
      sessionToken: Credentials?.SessionToken ?? '',
    });

    // Act
    const error = await errorOf(forged.send(new GetCallerIdentityCommand({})));

    // Assess
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.$metadata?.httpStatusCode).toBe(403);
  });

  it('refuses a session token that does not belong to the access key', async () => {
    const { Credentials } = await caller.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'token',
        Tags: tags({ tenantId: 't1', userId: 'u1' }),
      }),
    );
    const forged = client(sts.url, {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: 'IQoJb3JpZ2luX2VjEforged',
    });

    const error = await errorOf(forged.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe('InvalidClientTokenId');
  });

  it('refuses expired session credentials with ExpiredToken', async () => {
    // Prepare
    const { Credentials } = await caller.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'expiring',
        DurationSeconds: 900,
        Tags: tags({ tenantId: 't1', userId: 'u1' }),
      }),
    );
    const session = client(sts.url, {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    });
    clock = new Date(clock.getTime() + 901_000);

    // Act
    const error = await errorOf(session.send(new GetCallerIdentityCommand({})));

    // Assess
    expect(error.name).toBe('ExpiredToken');
  });

  const longPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'x'.repeat(2100), Effect: 'Allow', Action: '*', Resource: '*' }],
  });

  it.each([
    ['a duration below 900 s', { DurationSeconds: 100 }, 'ValidationError'],
    ['a duration above the role maximum', { DurationSeconds: 7200 }, 'ValidationError'],
    ['a session name with a space', { RoleSessionName: 'a b' }, 'ValidationError'],
    ['a session policy that is not JSON', { Policy: '{not json' }, 'MalformedPolicyDocumentException'],
    ['a session policy over 2048 characters', { Policy: longPolicy }, 'ValidationError'],
    [
      'managed session policies',
      { PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] },
      'ValidationError',
    ],
  ])('refuses %s', async (_label, override, code) => {
    const error = await errorOf(
      caller.send(
        new AssumeRoleCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: 'valid',
          Tags: tags({ tenantId: 't1', userId: 'u1' }),
          ...override,
        }),
      ),
    );

    expect(error.name).toBe(code);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('counts AssumeRole calls and refusals', async () => {
    // Prepare
    const before = sts.stats();

    // Act
    await caller.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'count',
        Tags: tags({ tenantId: 't', userId: 'u' }),
      }),
    );
    await errorOf(caller.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'count' })));

    // Assess
    expect(sts.stats().assumeRoleCalls - before.assumeRoleCalls).toBe(2);
    expect(sts.stats().assumeRoleRefusals - before.assumeRoleRefusals).toBe(1);
  });
});

describe('startLocalSts trust policy principals', () => {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/OnlyForTheInvoker`;
  const invokerArn = `arn:aws:iam::${ACCOUNT}:role/agent-invoker-lambda`;
  let sts: LocalSts;

  beforeAll(async () => {
    sts = await startLocalSts({
      roles: {
        [roleArn]: {
          trustPolicy: {
            ...tenantTrustPolicy,
            Statement: [
              { ...(tenantTrustPolicy.Statement as object[])[0], Principal: { AWS: invokerArn } } as never,
            ],
          },
          policies: [],
        },
      },
      callers: { INVOKERKEY: { arn: invokerArn, secretAccessKey: 'invoker-secret' } },
    });
  });

  afterAll(async () => {
    await sts.close();
  });

  it('lets the principal named in the trust policy assume the role', async () => {
    const invoker = client(sts.url, { accessKeyId: 'INVOKERKEY', secretAccessKey: 'invoker-secret' });

    const result = await invoker.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 's1',
        Tags: tags({ tenantId: 't1', userId: 'u1' }),
      }),
    );

    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('refuses any other principal', async () => {
    const stranger = client(sts.url, LOCAL_CREDENTIALS);

    const error = await errorOf(
      stranger.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 's1',
          Tags: tags({ tenantId: 't1', userId: 'u1' }),
        }),
      ),
    );

    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('user/local-developer');
  });

  it('refuses a known caller whose signature does not match its secret', async () => {
    const forged = client(sts.url, { accessKeyId: 'INVOKERKEY', secretAccessKey: 'guessed' });

    const error = await errorOf(forged.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe('SignatureDoesNotMatch');
  });
});

describe('startLocalSts listening', () => {
  it('refuses to listen on anything but loopback', async () => {
    await expect(startLocalSts({ host: '0.0.0.0' })).rejects.toBeInstanceOf(LoopbackOnlyError);
  });

  it('mints credentials for any role when no role registry is given', async () => {
    const sts = await startLocalSts();
    try {
      const result = await client(sts.url, LOCAL_CREDENTIALS).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Anything`, RoleSessionName: 'free' }),
      );
      expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    } finally {
      await sts.close();
    }
  });
});
