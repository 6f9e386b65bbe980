import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  captureOutput,
  createTestIssuer,
  expectMetricLines,
  lambdaContext,
  randomUserId,
  serveJwks,
} from '@tenant-assistant/testing';
import { bodyOf, expectError, expectSecurityHeaders, WEB_ORIGIN } from '../../../test/support/http';
import * as prompt from '../../../test/support/submit-prompt';
import { createPromptMetrics, METRICS_NAMESPACE } from '../../adapters/prompt-metrics';
import { createHandler } from './handler';

describe('submitPrompt handler', () => {
  it('accepts a prompt: stores a PENDING answer owned by the caller and publishes PromptSubmitted', async () => {
    // Prepare
    const sub = randomUserId();
    const token = await prompt.issuer.idToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(
      prompt.post({ token, body: { prompt: 'Where is my order?' } }),
      lambdaContext(),
    );

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
    expect(prompt.answerWrites()).toEqual([
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
          createdAt: prompt.NOW.toISOString(),
          deadlineAt: '2025-03-01T12:04:30.000Z',
          chunks: {},
          expiresAt: Math.floor(prompt.NOW.getTime() / 1000) + 30 * 86_400,
        }),
      },
    ]);
    expect(prompt.publishedEntries()).toEqual([
      {
        EventBusName: prompt.BUS,
        Source: 'tenant-assistant.chat-api',
        DetailType: 'PromptSubmitted',
        Detail: JSON.stringify({
          tenantId: 'tenant-a',
          userId: sub,
          answerId,
          conversationId,
          prompt: 'Where is my order?',
          submittedAt: prompt.NOW.toISOString(),
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
    const token = await prompt.issuer.accessToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(
      prompt.post({
        token,
        body: { prompt: 'Show my orders', tenantId: 'tenant-b', userId: randomUserId() },
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expect(prompt.answerWrites()[0]?.Item).toMatchObject({ userId: sub, tenantId: 'tenant-a' });
    expect(JSON.parse(prompt.publishedEntries()[0]?.Detail ?? '{}')).toMatchObject({
      tenantId: 'tenant-a',
      userId: sub,
    });
  });

  it('keeps the conversation the caller continues', async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(
      prompt.post({ token, body: { prompt: 'And the second one?', conversationId: 'conv_1-a' } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result).conversationId).toBe('conv_1-a');
  });

  it('accepts a prompt of exactly 4000 characters', async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'a'.repeat(4000) } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
  });
  it('gives no CORS access to another origin', async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(
      prompt.post({ token, body: { prompt: 'hi' }, headers: { origin: 'https://evil.example.com' } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
  });
});

describe('submitPrompt handler metrics', () => {
  it('writes one EMF line per accepted prompt with the tenant and its tier as dimensions', async () => {
    // Prepare
    const token = await prompt.issuer.idToken({ tenantId: 'tenant-a' });
    const handler = createHandler(prompt.makeDeps({ tier: 'standard', metrics: createPromptMetrics() }));

    // Act
    const { result, output } = await captureOutput(() =>
      handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext()),
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
    prompt.ddb.on(TransactWriteCommand).rejects(prompt.cancelled('None', 'ConditionalCheckFailed', 'None'));
    const token = await prompt.issuer.idToken({ tenantId: 'tenant-b' });
    const handler = createHandler(prompt.makeDeps({ tier: 'basic', metrics: createPromptMetrics() }));

    // Act
    const { result, output } = await captureOutput(() =>
      handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext()),
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
    jwks = await serveJwks(prompt.issuer);
    Object.assign(process.env, {
      COGNITO_USER_POOL_ID: prompt.issuer.userPoolId,
      COGNITO_CLIENT_IDS: `other-client, ${prompt.issuer.clientId}`,
      COGNITO_ISSUER: jwks.url,
      ANSWERS_TABLE_NAME: 'answers',
      RATE_LIMITS_TABLE_NAME: 'rate-limits',
      EVENT_BUS_NAME: prompt.BUS,
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
    prompt.ddb
      .on(GetCommand, { TableName: 'tenants' })
      .resolves({ Item: { tier: 'standard', status: 'ACTIVE' } });
    const { handler } = await import('./handler');
    const sub = randomUserId();
    const token = await prompt.issuer.idToken({ sub, extraClaims: { iss: jwks.url } });

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
    expect(prompt.publishedEntries()[0]?.EventBusName).toBe(prompt.BUS);
    expect(
      prompt.ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update
        ?.ExpressionAttributeValues?.[':limit'],
    ).toBe(60); // standard tier: 60 prompts per minute for the tenant
  });

  it('refuses a token signed by another key even when the issuer matches', async () => {
    // Prepare
    const { handler } = await import('./handler');
    const stranger = await createTestIssuer({ issuer: jwks.url, clientId: prompt.issuer.clientId });
    const token = await stranger.idToken();

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 401, 'UNAUTHORIZED');
  });
});
