import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { badTokens, httpApiEvent, lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { expectError, expectSecurityHeaders, WEB_ORIGIN } from '../../../test/support/http';
import * as prompt from '../../../test/support/submit-prompt';
import { createHandler } from './handler';

describe('submitPrompt handler refusals', () => {
  it('answers 401 without a token and stores nothing', async () => {
    // Prepare
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 401, 'UNAUTHORIZED');
    expectSecurityHeaders(result);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe(WEB_ORIGIN);
    expect(prompt.ddb.calls()).toHaveLength(0);
    expect(prompt.eventBridge.calls()).toHaveLength(0);
  });

  it.each([
    ['expired', () => prompt.issuer.idToken({ expiresInSeconds: -60 })],
    ['not yet valid', () => prompt.issuer.idToken({ notBeforeSeconds: 600 })],
    [
      'alg none',
      async () =>
        badTokens.algNone({
          sub: randomUserId(),
          'custom:tenantId': 'tenant-a',
          aud: prompt.issuer.clientId,
          iss: prompt.issuer.issuer,
          token_use: 'id',
          exp: Math.floor(Date.now() / 1000) + 600,
        }),
    ],
    [
      'forged (payload tampered)',
      async () =>
        badTokens.tamperedPayload(await prompt.issuer.idToken({ tenantId: 'tenant-a' }), {
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
            aud: prompt.issuer.clientId,
            iss: prompt.issuer.issuer,
            token_use: 'id',
            exp: Math.floor(Date.now() / 1000) + 600,
          },
          prompt.issuer,
        ),
    ],
    [
      'HS256 with the public key',
      async () =>
        badTokens.hs256WithPublicKey(prompt.issuer, {
          sub: randomUserId(),
          aud: prompt.issuer.clientId,
          iss: prompt.issuer.issuer,
          token_use: 'id',
          exp: Math.floor(Date.now() / 1000) + 600,
        }),
    ],
    ['for another app client', () => prompt.issuer.idToken({ extraClaims: { aud: 'another-client' } })],
    [
      'from another issuer',
      () =>
        prompt.issuer.idToken({
          extraClaims: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' },
        }),
    ],
    ['not a JWT', async () => 'not-a-token'],
  ])('answers 401 for a token that is %s', async (_case, mint) => {
    // Prepare
    const token = await mint();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' }, claims: {} }), lambdaContext());

    // Assess
    expectError(result, 401, 'UNAUTHORIZED');
    expect(prompt.ddb.calls()).toHaveLength(0);
    expect(prompt.eventBridge.calls()).toHaveLength(0);
  });

  it('answers 401 when the token is not the one the API Gateway authorizer checked', async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(
      prompt.post({ token, body: { prompt: 'hi' }, claims: { sub: randomUserId() } }),
      lambdaContext(),
    );

    // Assess
    expectError(result, 401, 'UNAUTHORIZED');
    expect(prompt.ddb.calls()).toHaveLength(0);
  });

  it('answers 503 AUTH_UNAVAILABLE with Retry-After, never 401, when the signing keys cannot be fetched', async () => {
    // Prepare: a verifier whose JWKS endpoint refuses connections (nothing listens on port 9)
    const handler = createHandler(
      prompt.makeDeps({
        verifier: createTokenVerifier({
          userPoolId: prompt.issuer.userPoolId,
          clientId: prompt.issuer.clientId,
          issuer: prompt.issuer.issuer,
          jwksUri: 'http://127.0.0.1:9/.well-known/jwks.json',
          fetch: { attempts: 2, timeoutMs: 500, backoffMs: 10 },
        }),
      }),
    );
    const token = await prompt.issuer.idToken();

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 503, 'AUTH_UNAVAILABLE');
    expect(result.headers?.['Retry-After']).toBe('2');
    expect(prompt.answerWrites()).toHaveLength(0);
    expect(prompt.publishedEntries()).toHaveLength(0);
  });

  it('answers 403 for a valid token without a tenant', async () => {
    // Prepare
    const token = await prompt.issuer.idToken({ tenantId: null });
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 403, 'FORBIDDEN');
    expect(prompt.ddb.calls()).toHaveLength(0);
  });

  it('answers 403 for a token whose tenant could widen a policy', async () => {
    // Prepare
    const token = await prompt.issuer.idToken({ tenantId: '*' });
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 403, 'FORBIDDEN');
    expect(prompt.ddb.calls()).toHaveLength(0);
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
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body }), lambdaContext());

    // Assess
    expectError(result, 400, code);
    expectSecurityHeaders(result);
    expect(prompt.ddb.calls()).toHaveLength(0);
  });

  it('answers 413 for a prompt longer than 4000 characters', async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'a'.repeat(4001) } }), lambdaContext());

    // Assess
    expectError(result, 413, 'PROMPT_TOO_LONG');
    expect(prompt.ddb.calls()).toHaveLength(0);
  });

  it('answers 413 for a body larger than 16 KB, before parsing it', async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());
    const body = JSON.stringify({ prompt: 'hi', padding: 'x'.repeat(16 * 1024) });

    // Act
    const result = await handler(prompt.post({ token, body }), lambdaContext());

    // Assess
    expectError(result, 413, 'BODY_TOO_LARGE');
    expect(prompt.ddb.calls()).toHaveLength(0);
  });

  it('answers 413 for a base64-encoded body larger than 16 KB', async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());
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
  ])('answers 429 with Retry-After when %s, storing and publishing nothing', async (_case, reasons, code) => {
    // Prepare
    prompt.ddb.on(TransactWriteCommand).rejects(prompt.cancelled(...reasons));
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 429, code);
    expect(result.headers?.['Retry-After']).toBe('30');
    expect(prompt.answerWrites()).toHaveLength(0);
    expect(prompt.eventBridge.calls()).toHaveLength(0);
  });
});
