import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { createTokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import {
  badTokens,
  captureOutput,
  createTestIssuer,
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
import { createRateLimitTable } from '../../adapters/rate-limit-table';
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
  verifier = createTokenVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: issuer.jwks as never,
  });
});

beforeEach(() => {
  ddb.reset();
  eventBridge.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

const makeDeps = (overrides: Partial<Deps> = {}): Deps => {
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
    rateLimiter: createRateLimitTable(documentClient, { tableName: () => 'rate-limits', limit: () => 5 }),
    publish: (events) => putEvents(eventBridgeClient, BUS, events),
    clock: () => NOW,
    newId: ulid,
    answerTtlDays: () => 30,
    answerDeadlineSeconds: () => 240,
    ...overrides,
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

/** The answers stored (the Put of each create transaction). */
const answerWrites = () =>
  ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems?.[0]?.Put);
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

    it('answers 429 with Retry-After once the caller used up the minute, storing and publishing nothing', async () => {
      // Prepare
      ddb
        .on(UpdateCommand, { TableName: 'rate-limits' })
        .rejects(
          new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
        );
      const token = await issuer.idToken();
      const handler = createHandler(makeDeps());

      // Act
      const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expectError(result, 429, 'RATE_LIMITED');
      expect(result.headers?.['Retry-After']).toBe('30');
      expect(answerWrites()).toHaveLength(0);
      expect(eventBridge.calls()).toHaveLength(0);
    });

    it('counts prompts per user and per minute, up to the configured limit', async () => {
      // Prepare
      const sub = randomUserId();
      const token = await issuer.idToken({ sub });
      const handler = createHandler(makeDeps());

      // Act
      await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

      // Assess
      expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toEqual({
        TableName: 'rate-limits',
        Key: { pk: `prompts#${sub}#${Math.floor(NOW.getTime() / 60_000) * 60}` },
        UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':limit': 5,
          ':expiresAt': Math.floor(NOW.getTime() / 60_000) * 60 + 120,
        },
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
      PROMPTS_PER_MINUTE: '10',
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
    const { handler } = await import('./handler');
    const sub = randomUserId();
    const token = await issuer.idToken({ sub, extraClaims: { iss: jwks.url } });

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
    expect(publishedEntries()[0]?.EventBusName).toBe(BUS);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues?.[':limit']).toBe(10);
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
