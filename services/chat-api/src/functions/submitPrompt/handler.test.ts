import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { TenantTier } from '@tenant-assistant/tenant-context/tiers';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { createTokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import {
  badTokens,
  captureOutput,
  createTestIssuer,
  expectMetricLines,
  httpApiEvent,
  lambdaContext,
  randomUserId,
  serveJwks,
  type TestIssuer,
} from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { bodyOf, expectError, expectSecurityHeaders, WEB_ORIGIN } from '../../../test/support/http';
import { audibleLogger } from '../../../test/support/logger';
import { createAnswersTable } from '../../adapters/answers-table';
import { createPromptMetrics, METRICS_NAMESPACE } from '../../adapters/prompt-metrics';
import { createPromptLimiter } from '../../adapters/rate-limit-table';
import { createUsageReader } from '../../adapters/usage-table';
import { PUBLISH_FAILED_REASON } from '../../answers/submit-prompt';
import { createHandler, type Deps } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);
const NOW = new Date('2025-03-01T12:00:30.000Z');
const BUS = 'tenant-assistant-test';

let issuer: TestIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = createTokenVerifier(issuer.preloaded);
});

beforeEach(() => {
  ddb.reset();
  eventBridge.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

const makeDeps = (overrides: Partial<Deps> & { tier?: TenantTier } = {}): Deps => {
  const { tier = 'premium', ...rest } = overrides;
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const eventBridgeClient = new EventBridgeClient({});
  return {
    verifier,
    logger: createLogger({ serviceName: 'chat-api', logLevel: 'SILENT' }),
    webOrigins: () => [WEB_ORIGIN],
    answers: createAnswersTable(documentClient, {
      answers: () => 'answers',
      conversations: () => 'conversations',
    }),
    tiers: { tierOf: async () => tier },
    limiter: createPromptLimiter(documentClient, { tableName: () => 'rate-limits', slotSeconds: () => 240 }),
    usage: createUsageReader(documentClient, () => 'usage'),
    metrics: { accepted: () => {}, throttled: () => {} },
    publish: (events) => putEvents(eventBridgeClient, BUS, events),
    clock: () => NOW,
    newId: ulid,
    answerTtlDays: () => 30,
    answerDeadlineSeconds: () => 240,
    ...rest,
  };
};

const post = (opts: {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  claims?: Record<string, unknown>;
}) =>
  httpApiEvent({
    method: 'POST',
    path: '/prompts',
    ...opts,
    headers: { origin: WEB_ORIGIN, ...opts.headers },
  });

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const transactWrites = () => ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
/** The limit transactions (each admitted prompt's counters and in-flight slot). */
const transactions = () =>
  transactWrites().filter((input) => input.TransactItems?.[0]?.Update?.TableName === 'rate-limits');
/** The answers stored (the Put of each create transaction). */
const answerWrites = () =>
  transactWrites().flatMap((input) => {
    const put = input.TransactItems?.[0]?.Put;
    return put ? [put] : [];
  });
const answerUpdates = () =>
  ddb.commandCalls(UpdateCommand, { TableName: 'answers' }).map((call) => call.args[0].input);
const publishedEntries = () =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

describe('submitPrompt handler', () => {
  it('accepts a prompt: stores a PENDING answer owned by the caller and publishes PromptSubmitted', async () => {
    // Prepare
    const sub = randomUserId();
    const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(post({ token, body: { prompt: 'Where is my order?' } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
    const { answerId, conversationId, deadlineAt } = bodyOf<{
      answerId: string;
      conversationId: string;
      deadlineAt: string;
    }>(result);
    expect(deadlineAt).toBe('2025-03-01T12:04:30.000Z');
    expect(answerId).toMatch(new RegExp(`^${sub}\\.[0-9A-HJKMNP-TV-Z]{26}$`));
    expect(conversationId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(answerWrites()).toEqual([
      {
        TableName: 'answers',
        ConditionExpression: 'attribute_not_exists(answerId)',
        Item: expect.objectContaining({
          userId: sub,
          answerId,
          tenantId: 'tenant-a',
          conversationId,
          conversationSk: `${conversationId}#${answerId}`,
          prompt: 'Where is my order?',
          status: 'PENDING',
          createdAt: NOW.toISOString(),
          deadlineAt: '2025-03-01T12:04:30.000Z',
          chunks: {},
          expiresAt: Math.floor(NOW.getTime() / 1000) + 30 * 86_400,
        }),
      },
    ]);
    expect(publishedEntries()).toEqual([
      {
        EventBusName: BUS,
        Source: 'tenant-assistant.chat-api',
        DetailType: 'PromptSubmitted',
        Detail: JSON.stringify({
          tenantId: 'tenant-a',
          userId: sub,
          answerId,
          conversationId,
          prompt: 'Where is my order?',
          submittedAt: NOW.toISOString(),
          tier: 'premium',
        }),
      },
    ]);
    expectSecurityHeaders(result);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe(WEB_ORIGIN);
    expect(result.headers?.['Cache-Control']).toBe('no-store');
  });

  it('takes tenant and user only from the token, ignoring a tenantId or userId in the body', async () => {
    // Prepare
    const sub = randomUserId();
    const token = await issuer.accessToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(
      post({ token, body: { prompt: 'Show my orders', tenantId: 'tenant-b', userId: randomUserId() } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expect(answerWrites()[0]?.Item).toMatchObject({ userId: sub, tenantId: 'tenant-a' });
    expect(JSON.parse(publishedEntries()[0]?.Detail ?? '{}')).toMatchObject({
      tenantId: 'tenant-a',
      userId: sub,
    });
  });

  it('keeps the conversation the caller continues', async () => {
    // Prepare
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(
      post({ token, body: { prompt: 'And the second one?', conversationId: 'conv_1-a' } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result).conversationId).toBe('conv_1-a');
  });

  it('accepts a prompt of exactly 4000 characters', async () => {
    // Prepare
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(post({ token, body: { prompt: 'a'.repeat(4000) } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
  });

  describe('refusals', () => {
    it('answers 401 without a token and stores nothing', async () => {
      // Prepare
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 401, 'UNAUTHORIZED');
      expectSecurityHeaders(result);
      expect(result.headers?.['Access-Control-Allow-Origin']).toBe(WEB_ORIGIN);
      expect(ddb.calls()).toHaveLength(0);
      expect(eventBridge.calls()).toHaveLength(0);
    });

    it.each([
      ['expired', () => issuer.idToken({ expiresInSeconds: -60 })],
      ['not yet valid', () => issuer.idToken({ notBeforeSeconds: 600 })],
      [
        'alg none',
        async () =>
          badTokens.algNone({
            sub: randomUserId(),
            'custom:tenantId': 'tenant-a',
            aud: issuer.clientId,
            iss: issuer.issuer,
            token_use: 'id',
            exp: Math.floor(Date.now() / 1000) + 600,
          }),
      ],
      [
        'forged (payload tampered)',
        async () =>
          badTokens.tamperedPayload(await issuer.idToken({ tenantId: 'tenant-a' }), {
            'custom:tenantId': 'tenant-b',
            tenantId: 'tenant-b',
          }),
      ],
      [
        'signed by an unknown key',
        async () =>
          badTokens.unknownKid(
            {
              sub: randomUserId(),
              aud: issuer.clientId,
              iss: issuer.issuer,
              token_use: 'id',
              exp: Math.floor(Date.now() / 1000) + 600,
            },
            issuer,
          ),
      ],
      [
        'HS256 with the public key',
        async () =>
          badTokens.hs256WithPublicKey(issuer, {
            sub: randomUserId(),
            aud: issuer.clientId,
            iss: issuer.issuer,
            token_use: 'id',
            exp: Math.floor(Date.now() / 1000) + 600,
          }),
      ],
      ['for another app client', () => issuer.idToken({ extraClaims: { aud: 'another-client' } })],
      [
        'from another issuer',
        () =>
          issuer.idToken({
            extraClaims: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' },
          }),
      ],
      ['not a JWT', async () => 'not-a-token'],
    ])('answers 401 for a token that is %s', async (_case, mint) => {
      // Prepare
      const token = await mint();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' }, claims: {} }), lambdaContext());

      // Assess
      expectError(result, 401, 'UNAUTHORIZED');
      expect(ddb.calls()).toHaveLength(0);
      expect(eventBridge.calls()).toHaveLength(0);
    });

    it('answers 401 when the token is not the one the API Gateway authorizer checked', async () => {
      // Prepare
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(
        post({ token, body: { prompt: 'hi' }, claims: { sub: randomUserId() } }),
        lambdaContext(),
      );

      // Assess
      expectError(result, 401, 'UNAUTHORIZED');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 503 AUTH_UNAVAILABLE with Retry-After, never 401, when the signing keys cannot be fetched', async () => {
      // Prepare: a verifier whose JWKS endpoint refuses connections (nothing listens on port 9)
      const handler = createHandler(
        makeDeps({
          verifier: createTokenVerifier({
            userPoolId: issuer.userPoolId,
            clientId: issuer.clientId,
            issuer: issuer.issuer,
            jwksUri: 'http://127.0.0.1:9/.well-known/jwks.json',
            fetch: { attempts: 2, timeoutMs: 500, backoffMs: 10 },
          }),
        }),
      );
      const token = await issuer.idToken();

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 503, 'AUTH_UNAVAILABLE');
      expect(result.headers?.['Retry-After']).toBe('2');
      expect(answerWrites()).toHaveLength(0);
      expect(publishedEntries()).toHaveLength(0);
    });

    it('answers 403 for a valid token without a tenant', async () => {
      // Prepare
      const token = await issuer.idToken({ tenantId: null });
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 403, 'FORBIDDEN');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 403 for a token whose tenant could widen a policy', async () => {
      // Prepare
      const token = await issuer.idToken({ tenantId: '*' });
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 403, 'FORBIDDEN');
      expect(ddb.calls()).toHaveLength(0);
    });

    it.each([
      ['malformed JSON', '{"prompt": "hi"', 'INVALID_JSON'],
      ['an empty body', '', 'INVALID_JSON'],
      ['a JSON array', '["hi"]', 'VALIDATION_FAILED'],
      ['no prompt', '{"conversationId":"c1"}', 'VALIDATION_FAILED'],
      ['an empty prompt', '{"prompt":""}', 'VALIDATION_FAILED'],
      ['a blank prompt', '{"prompt":"   \\n "}', 'VALIDATION_FAILED'],
      ['a prompt that is not a string', '{"prompt":42}', 'VALIDATION_FAILED'],
      ['an invalid conversationId', '{"prompt":"hi","conversationId":"../other user"}', 'VALIDATION_FAILED'],
      ['a prototype-polluting body', '{"prompt":"hi","__proto__":{"admin":true}}', 'INVALID_JSON'],
    ])('answers 400 for %s', async (_case, body, code) => {
      // Prepare
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body }), lambdaContext());

      // Assess
      expectError(result, 400, code);
      expectSecurityHeaders(result);
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 413 for a prompt longer than 4000 characters', async () => {
      // Prepare
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'a'.repeat(4001) } }), lambdaContext());

      // Assess
      expectError(result, 413, 'PROMPT_TOO_LONG');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 413 for a body larger than 16 KB, before parsing it', async () => {
      // Prepare
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());
      const body = JSON.stringify({ prompt: 'hi', padding: 'x'.repeat(16 * 1024) });

      // Act
      const result = await handler(post({ token, body }), lambdaContext());

      // Assess
      expectError(result, 413, 'BODY_TOO_LARGE');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 413 for a base64-encoded body larger than 16 KB', async () => {
      // Prepare
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());
      const body = Buffer.from(JSON.stringify({ prompt: 'x'.repeat(17 * 1024) })).toString('base64');

      // Act
      const result = await handler(
        httpApiEvent({ method: 'POST', path: '/prompts', token, body, isBase64Encoded: true }),
        lambdaContext(),
      );

      // Assess
      expectError(result, 413, 'BODY_TOO_LARGE');
    });

    it.each([
      ['the tenant used up its minute', ['ConditionalCheckFailed', 'None', 'None'], 'TENANT_RATE_LIMITED'],
      ['the user used up their minute', ['None', 'ConditionalCheckFailed', 'None'], 'USER_RATE_LIMITED'],
    ])(
      'answers 429 with Retry-After when %s, storing and publishing nothing',
      async (_case, reasons, code) => {
        // Prepare
        ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
        const token = await issuer.idToken();
        const handler = createHandler(makeDeps());

        // Act
        const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

        // Assess
        expectError(result, 429, code);
        expect(result.headers?.['Retry-After']).toBe('30');
        expect(answerWrites()).toHaveLength(0);
        expect(eventBridge.calls()).toHaveLength(0);
      },
    );

    it('answers 429 TOO_MANY_ANSWERS_IN_FLIGHT when every slot is held by an answer still running', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
      const lapsesAt = Math.floor(NOW.getTime() / 1000) + 60;
      ddb
        .on(GetCommand, { TableName: 'rate-limits' })
        .resolves({ Item: { slots: { a: lapsesAt, b: lapsesAt } } });
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps({ tier: 'basic' }));

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 429, 'TOO_MANY_ANSWERS_IN_FLIGHT');
      expect(result.headers?.['Retry-After']).toBe('5');
      expect(answerWrites()).toHaveLength(0);
      expect(eventBridge.calls()).toHaveLength(0);
    });

    it('sweeps lapsed in-flight slots and then admits the prompt', async () => {
      // Prepare
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'))
        .resolves({});
      const lapsed = Math.floor(NOW.getTime() / 1000) - 1;
      ddb
        .on(GetCommand, { TableName: 'rate-limits' })
        .resolves({ Item: { slots: { 'old-answer': lapsed } } });
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expect(result.statusCode).toBe(202);
      expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toMatchObject({
        UpdateExpression: 'REMOVE slots.#a0',
        ConditionExpression: 'slots.#a0 = :v0',
        ExpressionAttributeNames: { '#a0': 'old-answer' },
      });
      expect(transactions()).toHaveLength(2);
    });

    it("answers 429 TOKEN_BUDGET_EXHAUSTED until next month once the tenant used its month's tokens", async () => {
      // Prepare
      ddb
        .on(GetCommand, { TableName: 'usage' })
        .resolves({ Item: { inputTokens: 150_000, outputTokens: 50_000 } });
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps({ tier: 'basic' }));

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 429, 'TOKEN_BUDGET_EXHAUSTED');
      const untilApril = (Date.UTC(2025, 3, 1) - NOW.getTime()) / 1000;
      expect(result.headers?.['Retry-After']).toBe(String(Math.ceil(untilApril)));
      expect(transactions()).toHaveLength(0);
      expect(answerWrites()).toHaveLength(0);
      expect(eventBridge.calls()).toHaveLength(0);
    });

    it("reads this month's usage of the caller's tenant for the budget", async () => {
      // Prepare
      const token = await issuer.idToken({ tenantId: 'tenant-a' });
      const handler = createHandler(makeDeps());

      // Act
      await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expect(ddb.commandCalls(GetCommand, { TableName: 'usage' })[0]?.args[0].input.Key).toEqual({
        tenantId: 'tenant-a',
        sk: 'month#2025-03',
      });
    });

    it("answers 413 for a prompt longer than the tenant's tier allows, before counting it", async () => {
      // Prepare
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps({ tier: 'basic' }));

      // Act
      const accepted = await handler(post({ token, body: { prompt: 'a'.repeat(1000) } }), lambdaContext());
      ddb.resetHistory();
      const refused = await handler(post({ token, body: { prompt: 'a'.repeat(1001) } }), lambdaContext());

      // Assess
      expect(accepted.statusCode).toBe(202);
      expectError(refused, 413, 'PROMPT_TOO_LONG');
      expect(bodyOf<{ error: { message: string } }>(refused).error.message).toContain('1000 characters');
      expect(transactions()).toHaveLength(0);
      expect(answerWrites()).toHaveLength(0);
    });

    it("counts the prompt against the tenant's and the user's minute and takes a slot, in one transaction", async () => {
      // Prepare
      const sub = randomUserId();
      const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });
      const handler = createHandler(makeDeps({ tier: 'basic' }));
      const windowStart = Math.floor(NOW.getTime() / 60_000) * 60;

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      const { answerId } = bodyOf<{ answerId: string }>(result);
      const items = transactions()[0]?.TransactItems ?? [];
      expect(items.map((item) => item.Update?.Key)).toEqual([
        { pk: `prompts#tenant#tenant-a#${windowStart}` },
        { pk: `prompts#user#${sub}#${windowStart}` },
        { pk: 'inflight#tenant-a' },
      ]);
      expect(items.map((item) => item.Update?.ExpressionAttributeValues?.[':limit'])).toEqual([10, 6, 2]);
      expect(items[0]?.Update).toMatchObject({
        UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeValues: { ':expiresAt': windowStart + 120 },
      });
      expect(items[2]?.Update).toMatchObject({
        UpdateExpression: 'SET slots.#answer = :lapsesAt',
        ExpressionAttributeNames: { '#answer': answerId },
        ExpressionAttributeValues: { ':lapsesAt': Math.floor(NOW.getTime() / 1000) + 240 },
      });
    });

    it('answers 500 and stores nothing when the counters cannot be written', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).rejects(new Error('throttled'));
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 500, 'INTERNAL_ERROR');
      expect(answerWrites()).toHaveLength(0);
      expect(eventBridge.calls()).toHaveLength(0);
    });

    it('frees the in-flight slot and publishes nothing when the answer cannot be stored', async () => {
      // Prepare
      ddb
        .on(TransactWriteCommand)
        .callsFake((input: { TransactItems?: { Put?: { TableName?: string } }[] }) => {
          if (input.TransactItems?.[0]?.Put?.TableName === 'answers') throw new Error('throttled');
          return {};
        });
      const token = await issuer.idToken({ tenantId: 'tenant-a' });
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 500, 'INTERNAL_ERROR');
      expect(eventBridge.calls()).toHaveLength(0);
      const slot = transactions()[0]?.TransactItems?.[2]?.Update?.ExpressionAttributeNames?.['#answer'];
      expect(slot).toBeDefined();
      expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toMatchObject({
        Key: { pk: 'inflight#tenant-a' },
        UpdateExpression: 'REMOVE slots.#answer',
        ExpressionAttributeNames: { '#answer': slot },
      });
    });

    it.each([
      [
        'EventBridge rejects the entry',
        () =>
          eventBridge
            .on(PutEventsCommand)
            .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }),
      ],
      [
        'EventBridge is unreachable',
        () => eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up')),
      ],
    ])('answers 503 and marks the answer FAILED when %s', async (_case, arrange) => {
      // Prepare
      arrange();
      const sub = randomUserId();
      const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 503, 'ASSISTANT_UNAVAILABLE');
      expect(result.headers?.['Retry-After']).toBe('5');
      expect(bodyOf<{ error: { message: string } }>(result).error.message).toMatch(/try again in 5 seconds/i);
      const answerId = answerWrites()[0]?.Item?.answerId;
      expect(answerUpdates()).toEqual([
        expect.objectContaining({
          Key: { userId: sub, answerId },
          ConditionExpression: expect.stringContaining('#status IN (:pending, :streaming)'),
          ExpressionAttributeValues: expect.objectContaining({
            ':failed': 'FAILED',
            ':reason': PUBLISH_FAILED_REASON,
            ':tenantId': 'tenant-a',
          }),
        }),
      ]);
      expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toMatchObject({
        Key: { pk: 'inflight#tenant-a' },
        UpdateExpression: 'REMOVE slots.#answer',
        ExpressionAttributeNames: { '#answer': answerId },
      });
    });

    it('still answers 503 when marking the answer FAILED fails too', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up'));
      ddb.on(UpdateCommand, { TableName: 'answers' }).rejects(new Error('throttled'));
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 503, 'ASSISTANT_UNAVAILABLE');
    });

    it('answers a generic 500 for an internal failure and logs the details, never the token', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded on table answers'));
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps({ logger: audibleLogger() }));

      // Act
      const { result, output } = await captureOutput(() =>
        handler(post({ token, body: { prompt: 'a secret question' } }), lambdaContext()),
      );

      // Assess
      const error = expectError(result, 500, 'INTERNAL_ERROR');
      expect(error.message).toBe('Internal server error');
      expect(result.body).not.toContain('ProvisionedThroughput');
      expect(output).toContain('ProvisionedThroughputExceeded');
      expect(output).not.toContain(token);
      expect(output).not.toContain(token.split('.')[2]);
      expectSecurityHeaders(result);
    });

    it('gives no CORS access to another origin', async () => {
      // Prepare
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(
        post({ token, body: { prompt: 'hi' }, headers: { origin: 'https://evil.example.com' } }),
        lambdaContext(),
      );

      // Assess
      expect(result.statusCode).toBe(202);
      expect(result.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    });
  });
});

describe('submitPrompt handler metrics', () => {
  it('writes one EMF line per accepted prompt with the tenant and its tier as dimensions', async () => {
    // Prepare
    const token = await issuer.idToken({ tenantId: 'tenant-a' });
    const handler = createHandler(makeDeps({ tier: 'standard', metrics: createPromptMetrics() }));

    // Act
    const { result, output } = await captureOutput(() =>
      handler(post({ token, body: { prompt: 'hi' } }), lambdaContext()),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expectMetricLines(output, [
      {
        values: { service: 'chat-api', tenant: 'tenant-a', tier: 'standard', PromptAccepted: 1 },
        namespace: METRICS_NAMESPACE,
        dimensions: ['service', 'tenant', 'tier'],
        metrics: [{ Name: 'PromptAccepted', Unit: 'Count' }],
      },
      {
        values: { tenant: 'tenant-a', route: 'POST /prompts', ApiRequest: 1 },
        dimensions: ['service', 'tenant', 'route'],
      },
      { values: { ApiRequest: 1 }, dimensions: ['service'] },
    ]);
  });

  it('writes a PromptThrottled line with the limit code for a refused prompt, and no PromptAccepted', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));
    const token = await issuer.idToken({ tenantId: 'tenant-b' });
    const handler = createHandler(makeDeps({ tier: 'basic', metrics: createPromptMetrics() }));

    // Act
    const { result, output } = await captureOutput(() =>
      handler(post({ token, body: { prompt: 'hi' } }), lambdaContext()),
    );

    // Assess
    expectError(result, 429, 'USER_RATE_LIMITED');
    expectMetricLines(output, [
      {
        values: { tenant: 'tenant-b', tier: 'basic', limit: 'USER_RATE_LIMITED', PromptThrottled: 1 },
        absent: ['PromptAccepted'],
      },
      { values: { tenant: 'tenant-b', ApiRequestRefused: 1 }, absent: ['ApiRequest'] },
      { values: { ApiRequestRefused: 1 }, dimensions: ['service'] },
    ]);
  });
});

describe('submitPrompt handler as deployed (configured from the environment)', () => {
  const saved = { ...process.env };
  let jwks: Awaited<ReturnType<typeof serveJwks>>;

  beforeAll(async () => {
    jwks = await serveJwks(issuer);
    Object.assign(process.env, {
      COGNITO_USER_POOL_ID: issuer.userPoolId,
      COGNITO_CLIENT_IDS: `other-client, ${issuer.clientId}`,
      COGNITO_ISSUER: jwks.url,
      ANSWERS_TABLE_NAME: 'answers',
      RATE_LIMITS_TABLE_NAME: 'rate-limits',
      EVENT_BUS_NAME: BUS,
      WEB_ORIGIN,
      TENANT_REGISTRY_TABLE_NAME: 'tenants',
      USAGE_TABLE_NAME: 'usage',
      ANSWER_TTL_DAYS: '30',
      ANSWER_DEADLINE_SECONDS: '240',
      CONVERSATIONS_TABLE_NAME: 'conversations',
    });
  });

  afterAll(async () => {
    process.env = saved;
    await jwks.close();
  });

  it('verifies the token against the configured issuer and publishes on the configured bus', async () => {
    // Prepare
    ddb.on(GetCommand, { TableName: 'tenants' }).resolves({ Item: { tier: 'standard', status: 'ACTIVE' } });
    const { handler } = await import('./handler');
    const sub = randomUserId();
    const token = await issuer.idToken({ sub, extraClaims: { iss: jwks.url } });

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
    expect(publishedEntries()[0]?.EventBusName).toBe(BUS);
    expect(
      ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update
        ?.ExpressionAttributeValues?.[':limit'],
    ).toBe(60); // standard tier: 60 prompts per minute for the tenant
  });

  it('refuses a token signed by another key even when the issuer matches', async () => {
    // Prepare
    const { handler } = await import('./handler');
    const stranger = await createTestIssuer({ issuer: jwks.url, clientId: issuer.clientId });
    const token = await stranger.idToken();

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 401, 'UNAUTHORIZED');
  });
});
