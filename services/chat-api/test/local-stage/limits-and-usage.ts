import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';
import { tierLimits } from '@tenant-assistant/tenant-context/tiers';
import { ulid } from 'ulid';
import { createPromptLimiter } from '../../src/adapters/rate-limit-table';
import { createUsageReader } from '../../src/adapters/usage-table';
import { LimitExceededError } from '../../src/errors';
import { anAnswer, newUserId } from '../support/answers';
import { client, connectionsTable, NOW, tables } from '../support/local-stage';

// Registered by ../local-stage.test.ts, which starts the local stage once before these run.
describe('connections table on DynamoDB Local', () => {
  it('finds the connections of one user through the user index and forgets closed ones', async () => {
    // Prepare
    const connections = connectionsTable();
    const [alice, bob] = [newUserId(), newUserId()];
    const base = { tenantId: anAnswer().tenantId, connectedAt: NOW.toISOString(), expiresAt: 1_800_000_000 };
    await connections.put({ ...base, connectionId: 'alice-1=', userId: alice });
    await connections.put({ ...base, connectionId: 'alice-2=', userId: alice });
    await connections.put({ ...base, connectionId: 'bob-1=', userId: bob });

    // Act
    await connections.delete('alice-2=');
    const found = await connections.listByUser(alice);

    // Assess
    expect(found).toEqual([{ connectionId: 'alice-1=', tenantId: base.tenantId }]);
  });
});

describe('prompt limiter on DynamoDB Local', () => {
  const limits = {
    ...tierLimits('basic'),
    tenantPromptsPerMinute: 3,
    userPromptsPerMinute: 2,
    answersInFlight: 2,
  };
  const limiter = () =>
    createPromptLimiter(client, {
      tableName: () => tables.RateLimitsTable as string,
      slotSeconds: () => 120,
    });
  const nextTenant = () => `limits-tenant-${ulid().toLowerCase()}` as TenantId;
  const answerOf = (userId: string) => `${userId}.${ulid()}` as AnswerId;
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'admitted',
      (error: unknown) => (error instanceof LimitExceededError ? error.code : String(error)),
    );

  it("lets each user submit up to the user limit per minute and the tenant up to the tenant's", async () => {
    // Prepare
    const tenantId = nextTenant();
    const [alice, bob] = [newUserId(), newUserId()];
    const ask = (userId: UserId, now = NOW) =>
      codeOf(
        limiter().admit({
          tenantId,
          userId,
          answerId: answerOf(userId),
          limits: { ...limits, answersInFlight: 50 },
          now,
        }),
      );

    // Act
    const outcomes = [await ask(alice), await ask(alice), await ask(alice), await ask(bob), await ask(bob)];
    const nextMinute = await ask(bob, new Date(NOW.getTime() + 60_000));

    // Assess
    expect(outcomes).toEqual([
      'admitted',
      'admitted',
      'USER_RATE_LIMITED',
      'admitted',
      'TENANT_RATE_LIMITED',
    ]);
    expect(nextMinute).toBe('admitted');
  });

  it('counts a refused prompt nowhere (one transaction)', async () => {
    // Prepare
    const tenantId = nextTenant();
    const [alice, bob] = [newUserId(), newUserId()];
    const ask = (userId: UserId) =>
      codeOf(
        limiter().admit({
          tenantId,
          userId,
          answerId: answerOf(userId),
          limits: { ...limits, answersInFlight: 1 },
          now: NOW,
        }),
      );
    await ask(alice);

    // Act: two refusals for slots must not use up bob's or the tenant's minute
    const refused = [await ask(bob), await ask(bob)];
    await limiter().release(tenantId, 'none' as AnswerId);

    // Assess
    expect(refused).toEqual(['TOO_MANY_ANSWERS_IN_FLIGHT', 'TOO_MANY_ANSWERS_IN_FLIGHT']);
    const { Item } = await client.send(
      new GetCommand({
        TableName: tables.RateLimitsTable as string,
        Key: { pk: `prompts#user#${bob}#${Math.floor(NOW.getTime() / 60_000) * 60}` },
      }),
    );
    expect(Item).toBeUndefined();
  });

  it('holds at most answersInFlight slots per tenant, frees them on release, and sweeps lapsed ones', async () => {
    // Prepare
    const tenantId = nextTenant();
    const users = [newUserId(), newUserId(), newUserId()];
    const answers = users.map(answerOf);
    const unlimited = { ...limits, tenantPromptsPerMinute: 100, userPromptsPerMinute: 100 };
    const admit = (i: number, now = NOW) =>
      codeOf(
        limiter().admit({
          tenantId,
          userId: users[i] as UserId,
          answerId: answers[i] as AnswerId,
          limits: unlimited,
          now,
        }),
      );

    // Act
    const first = [await admit(0), await admit(1), await admit(2)];
    await limiter().release(tenantId, answers[0] as AnswerId);
    await limiter().release(tenantId, answers[0] as AnswerId); // redelivered completion: frees nothing more
    const afterRelease = [await admit(2), await admit(2, NOW)];
    const later = new Date(NOW.getTime() + 121_000); // answers 1 and 2 never reported back
    const afterLapse = await codeOf(
      limiter().admit({
        tenantId,
        userId: users[0] as UserId,
        answerId: answerOf(users[0] as string),
        limits: unlimited,
        now: later,
      }),
    );

    // Assess
    expect(first).toEqual(['admitted', 'admitted', 'TOO_MANY_ANSWERS_IN_FLIGHT']);
    expect(afterRelease).toEqual(['admitted', 'TOO_MANY_ANSWERS_IN_FLIGHT']);
    expect(afterLapse).toBe('admitted');
  });

  it('never admits more than the limits when prompts race', async () => {
    // Prepare
    const tenantId = nextTenant();
    const users = Array.from({ length: 4 }, () => newUserId());
    const raceLimits = { ...limits, tenantPromptsPerMinute: 5, userPromptsPerMinute: 2, answersInFlight: 50 };

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const userId = users[i % 4] as UserId;
        return codeOf(
          limiter().admit({ tenantId, userId, answerId: answerOf(userId), limits: raceLimits, now: NOW }),
        );
      }),
    );

    // Assess
    expect(outcomes.filter((outcome) => outcome === 'admitted')).toHaveLength(5);
    expect(outcomes.every((o) => ['admitted', 'TENANT_RATE_LIMITED', 'USER_RATE_LIMITED'].includes(o))).toBe(
      true,
    );
  });
});

describe('usage reader on DynamoDB Local', () => {
  it("sums a tenant's input and output tokens of one month, 0 for none", async () => {
    // Prepare
    const tableName = tables.UsageTable as string;
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { tenantId: 'tenant-u', sk: 'month#2025-03', inputTokens: 700, outputTokens: 42 },
      }),
    );
    const reader = createUsageReader(client, () => tableName);

    // Act
    const [march, april, other] = await Promise.all([
      reader.monthTokens('tenant-u' as TenantId, '2025-03'),
      reader.monthTokens('tenant-u' as TenantId, '2025-04'),
      reader.monthTokens('tenant-v' as TenantId, '2025-03'),
    ]);

    // Assess
    expect([march, april, other]).toEqual([742, 0, 0]);
  });
});
