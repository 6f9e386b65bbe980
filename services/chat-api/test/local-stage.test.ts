import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbLocal, startDynamoDbLocal } from '@tenant-assistant/local-stack';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';
import { tierLimits } from '@tenant-assistant/tenant-context/tiers';
import { type CfnTemplate, packageService, resourcesOfType } from '@tenant-assistant/testing';
import { ulid } from 'ulid';
import { createAnswersTable } from '../src/adapters/answers-table';
import { createConnectionsTable } from '../src/adapters/connections-table';
import { createPromptLimiter } from '../src/adapters/rate-limit-table';
import { createUsageReader } from '../src/adapters/usage-table';
import { applyAnswerEvent } from '../src/answers/apply-answer-event';
import { AnswerAlreadyExistsError, AnswerVersionConflictError, LimitExceededError } from '../src/errors';
import type { ServerMessage } from '../src/ports';
import { anAnswer, newUserId, OTHER_TENANT } from './support/answers';
import { silentLogger } from './support/deps';

/**
 * The `local` stage, as the dev command runs it: its packaged template points at the local stand-ins,
 * and the DynamoDB adapters work against Amazon DynamoDB Local with the tables exactly as that
 * template declares them (expressions, conditions and indexes checked by a real engine).
 */
jest.setTimeout(120_000);

const NOW = new Date('2025-03-01T12:00:00.000Z');
let dynamodb: DynamoDbLocal;
let template: CfnTemplate;
let client: DynamoDBDocumentClient;
const tables: Record<string, string> = {};

beforeAll(async () => {
  let local: DynamoDbLocal;
  [local, template] = await Promise.all([
    startDynamoDbLocal({ port: 0 }),
    packageService(join(__dirname, '..'), { stage: 'local' }),
  ]);
  dynamodb = local;
  const raw = new DynamoDBClient({
    endpoint: dynamodb.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  for (const [logicalId, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    const { TableName, KeySchema, AttributeDefinitions, LocalSecondaryIndexes, GlobalSecondaryIndexes } =
      table.Properties as unknown as CreateTableCommandInput;
    await raw.send(
      new CreateTableCommand({
        TableName,
        KeySchema,
        AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(LocalSecondaryIndexes ? { LocalSecondaryIndexes } : {}),
        ...(GlobalSecondaryIndexes ? { GlobalSecondaryIndexes } : {}),
      }),
    );
    tables[logicalId] = TableName as string;
  }
});

afterAll(async () => {
  client?.destroy();
  await dynamodb?.close();
});

const answersTable = () => createAnswersTable(client, () => tables.AnswersTable as string);
const connectionsTable = () => createConnectionsTable(client, () => tables.ConnectionsTable as string);

describe('answers table on DynamoDB Local', () => {
  it('creates an answer once and reads it back', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();

    // Act
    await answers.create(answer);
    const again = answers.create(answer);

    // Assess
    await expect(again).rejects.toBeInstanceOf(AnswerAlreadyExistsError);
    expect(await answers.get(answer)).toEqual(answer);
  });

  it("pages through one conversation of one user, oldest first, and nobody else's", async () => {
    // Prepare
    const answers = answersTable();
    const userId = newUserId();
    const inConversation = [
      anAnswer({ userId, conversationId: 'c-1' }),
      anAnswer({ userId, conversationId: 'c-1' }),
    ];
    for (const answer of [
      ...inConversation,
      anAnswer({ userId, conversationId: 'c-10' }),
      anAnswer({ conversationId: 'c-1' }),
    ]) {
      await answers.create(answer);
    }

    // Act
    const first = await answers.listByConversation(userId, 'c-1', { limit: 1 });
    const second = await answers.listByConversation(userId, 'c-1', {
      limit: 1,
      ...(first.lastAnswerId ? { after: first.lastAnswerId } : {}),
    });
    const rest = await answers.listByConversation(userId, 'c-1', {
      limit: 5,
      ...(second.lastAnswerId ? { after: second.lastAnswerId } : {}),
    });

    // Assess
    expect([...first.answers, ...second.answers, ...rest.answers].map((answer) => answer.answerId)).toEqual(
      inConversation.map((answer) => answer.answerId),
    );
    expect(rest.lastAnswerId).toBeUndefined();
  });

  it('saves progress only over the version it read', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();
    await answers.create(answer);
    await answers.saveProgress(answer, 0, { text: 'a', lastSeq: 0, pendingChunks: {} }, NOW);

    // Act
    const stale = answers.saveProgress(answer, 0, { text: 'x', lastSeq: 0, pendingChunks: {} }, NOW);

    // Assess
    await expect(stale).rejects.toBeInstanceOf(AnswerVersionConflictError);
    expect(await answers.get(answer)).toMatchObject({ status: 'STREAMING', text: 'a', version: 1 });
  });

  it('finishes an answer once, and only for its own tenant', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();
    await answers.create(answer);

    // Act
    const foreign = await answers.complete(answer, OTHER_TENANT, 'injected', NOW);
    const completed = await answers.complete(answer, answer.tenantId, 'Done.', NOW);
    const failedAfter = await answers.fail(answer, answer.tenantId, 'late failure', NOW);
    const missing = await answers.fail(anAnswer(), answer.tenantId, 'no such answer', NOW);

    // Assess
    expect([foreign, completed, failedAfter, missing]).toEqual([false, true, false, false]);
    expect(await answers.get(answer)).toMatchObject({
      status: 'COMPLETED',
      text: 'Done.',
      completedAt: NOW.toISOString(),
    });
  });

  it('assembles concurrent, duplicate and out-of-order chunks into the right text', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();
    await answers.create(answer);
    const pushed: ServerMessage[] = [];
    const deps = {
      answers,
      connections: {
        put: async () => {},
        delete: async () => {},
        listByUser: async () => [{ connectionId: 'c=', tenantId: answer.tenantId }],
      },
      pusher: { post: async (_id: string, message: ServerMessage) => void pushed.push(message) },
      limiter: { release: async () => {} },
      clock: () => NOW,
      logger: silentLogger(),
    };
    const words = ['Your ', 'order ', 'ships ', 'on ', 'Monday.'];
    const arrivals = [3, 0, 4, 1, 0, 2, 3].map((seq) => ({
      detailType: 'AnswerChunk' as const,
      detail: {
        tenantId: answer.tenantId,
        userId: answer.userId,
        answerId: answer.answerId as AnswerId,
        seq,
        text: words[seq] as string,
      },
    }));

    // Act
    await Promise.all(arrivals.map((event) => applyAnswerEvent(deps, event)));

    // Assess
    expect(await answers.get(answer)).toMatchObject({
      text: 'Your order ships on Monday.',
      lastSeq: 4,
      pendingChunks: {},
    });
    const last = pushed.filter((message) => message.type === 'answer.chunk').at(-1);
    expect(last).toMatchObject({ seq: 4, text: 'Your order ships on Monday.' });
  });
});

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

describe('local stage template', () => {
  it('points the functions at the local Cognito emulator, the local bus and serverless-offline', () => {
    // Act
    const environment = (logicalId: string) =>
      (
        (template.Resources[logicalId]?.Properties?.Environment ?? { Variables: {} }) as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    const submit = environment('SubmitPromptLambdaFunction');
    const onAnswer = environment('OnAnswerEventLambdaFunction');

    // Assess
    expect(submit).toMatchObject({
      COGNITO_USER_POOL_ID: 'us-east-1_LocalDev1',
      COGNITO_ISSUER: 'http://127.0.0.1:9229/us-east-1_LocalDev1',
      EVENT_BUS_NAME: 'tenant-assistant-local',
    });
    expect(onAnswer.WEBSOCKET_API_ENDPOINT).toBe('http://127.0.0.1:3001');
  });
});
