import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import {
  badTokens,
  captureOutput,
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
} from '@tenant-assistant/testing';
import fc from 'fast-check';
import {
  accessKeyId,
  expectNoSecret,
  jwt,
  logged,
  password,
  secretAccessKey,
  sessionToken,
} from '../test/secrets';
import { toSessionAttributes } from './credentials';
import { tenantContext } from './identity';
import {
  appendTenantKeys,
  createLogger,
  Logger,
  REDACTED,
  TENANT_LOG_KEYS,
  tenantKeysMiddleware,
} from './logger';
import { createTokenVerifier } from './tokens';

describe('createLogger', () => {
  it('returns a Powertools Logger that writes JSON', async () => {
    // Act
    const output = await logged((logger) => logger.info('hello', { answer: 42 }));

    // Assess
    expect(JSON.parse(output)).toMatchObject({
      level: 'INFO',
      message: 'hello',
      service: 'redaction-test',
      answer: 42,
    });
  });

  it('works without options and is a Powertools Logger', () => {
    expect(createLogger()).toBeInstanceOf(Logger);
  });

  it('masks credentials, tokens and passwords under their keys at any depth', async () => {
    // Act
    const output = await logged((logger) =>
      logger.info('nested', {
        request: {
          headers: {
            Authorization: `Bearer ${jwt}`,
            cookie: 'session=abc',
            'X-Amz-Security-Token': sessionToken,
          },
          body: { username: 'alice', password, newPassword: password },
        },
        sts: {
          Credentials: {
            AccessKeyId: accessKeyId,
            SecretAccessKey: secretAccessKey,
            SessionToken: sessionToken,
          },
        },
        list: [[{ credentials: { accessKeyId, secretAccessKey, sessionToken } }]],
        tokens: { idToken: jwt, accessToken: jwt, refreshToken: 'opaque-refresh-token-value' },
        cognito: { AuthParameters: { PASSWORD: password, SECRET_HASH: 'c2VjcmV0aGFzaA==' } },
      }),
    );

    // Assess
    expectNoSecret(output, [
      jwt,
      accessKeyId,
      secretAccessKey,
      sessionToken,
      password,
      'opaque-refresh-token-value',
      'c2VjcmV0aGFzaA==',
      'session=abc',
    ]);
    const line = JSON.parse(output) as { request: { body: { username: string; password: string } } };
    expect(line.request.body).toEqual({ username: 'alice', password: REDACTED, newPassword: REDACTED });
  });

  it('masks the scoped credentials of Bedrock session attributes', async () => {
    // Prepare
    const attributes = toSessionAttributes(
      tenantContext({ tenantId: 'tenant-a', userId: '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c' }),
      {
        accessKeyId,
        secretAccessKey,
        sessionToken,
        expiration: new Date('2030-01-01T00:00:00Z'),
      },
    );

    // Act
    const output = await logged((logger) => logger.info('session', { sessionAttributes: attributes }));

    // Assess
    expectNoSecret(output);
    expect(output).toContain('"tenantId":"tenant-a"');
  });

  it('masks secret-shaped values in messages', async () => {
    // Act
    const output = await logged((logger) => {
      logger.info(`verifying ${jwt}`);
      logger.warn(`assumed role as ${accessKeyId}`);
      logger.error(`header was Bearer ${sessionToken}`);
      logger.info(
        `signed AWS4-HMAC-SHA256 Credential=${accessKeyId}/20250101/us-east-1/sts/aws4_request, Signature=abcdef0123456789`,
      );
    });

    // Assess
    expectNoSecret(output, [jwt, accessKeyId, sessionToken, 'abcdef0123456789']);
    expect(output.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it('masks secret-shaped values under innocent keys', async () => {
    // Act
    const output = await logged((logger) =>
      logger.info('innocent keys', {
        note: `see ${jwt}`,
        items: [{ text: `key ${accessKeyId}` }],
        url: `wss://x/?token=${jwt}`,
      }),
    );

    // Assess
    expectNoSecret(output, [jwt, accessKeyId]);
  });

  it('masks secrets inside JSON and query strings', async () => {
    // Act
    const output = await logged((logger) =>
      logger.info('raw bodies', {
        body: JSON.stringify({ username: 'alice', password, credentials: { secretAccessKey } }),
        form: `username=alice&password=${password}&X-Amz-Security-Token=${encodeURIComponent(sessionToken)}`,
        sts: JSON.stringify({
          Credentials: { SecretAccessKey: secretAccessKey, SessionToken: sessionToken },
        }),
      }),
    );

    // Assess
    expectNoSecret(output, [password, secretAccessKey, sessionToken, encodeURIComponent(sessionToken)]);
    expect(output).toContain('username=alice');
  });

  it('masks secrets in errors, their causes and their properties', async () => {
    // Prepare
    const cause = new Error(`STS rejected ${accessKeyId}`);
    const error = Object.assign(new Error(`invalid token ${jwt}`, { cause }), {
      credentials: { secretAccessKey },
      password,
    });
    const withObjectCause = new Error('login failed', { cause: { password, sessionToken } });

    // Act
    const output = await logged((logger) => {
      logger.error('request failed', error);
      logger.error('login failed', { error: withObjectCause });
    });

    // Assess
    expectNoSecret(output);
    expect(output).toContain('invalid token [REDACTED]');
  });

  it('never writes a refused token when a verification error is logged', async () => {
    // Prepare
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.preloaded);
    const valid = await issuer.idToken();
    const refused = [
      await issuer.idToken({ expiresInSeconds: -60 }),
      await issuer.idToken({ extraClaims: { aud: 'other' } }),
      badTokens.algNone({ sub: 'x' }),
      await badTokens.hs256WithPublicKey(issuer, { sub: 'x' }),
      badTokens.tamperedPayload(valid, { tenantId: 'tenant-b' }),
    ];
    const errors = await Promise.all(
      refused.map((token) => verifier.verify(token).catch((error: unknown) => error)),
    );

    // Act
    const output = await logged((logger) => {
      for (const error of errors) logger.error('refused', error as Error);
    });

    // Assess
    expect(errors.every((error) => error instanceof Error)).toBe(true);
    expectNoSecret(output, refused);
    for (const token of refused) expect(output).not.toContain(token.split('.')[2] || token.split('.')[1]);
  });

  it('masks the token of a whole API Gateway event', async () => {
    // Act
    const output = await logged((logger) =>
      logger.info('event', { event: httpApiEvent({ method: 'GET', path: '/answers', token: jwt }) }),
    );

    // Assess
    expectNoSecret(output, [jwt]);
  });

  it('masks secrets in appended and persistent keys', async () => {
    // Act
    const output = await logged((logger) => {
      logger.appendKeys({ authorization: `Bearer ${jwt}` });
      logger.appendPersistentKeys({ session: { sessionToken } });
      logger.info('with keys');
    });

    // Assess
    expectNoSecret(output, [jwt, sessionToken]);
  });

  it('keeps masking in child loggers', async () => {
    // Act
    const output = await logged((logger) =>
      logger.createChild({ serviceName: 'child' }).info('child', { password, note: jwt }),
    );

    // Assess
    expectNoSecret(output, [password, jwt]);
    expect(output).toContain('"service":"child"');
  });

  it("masks the event logged by Powertools' injectLambdaContext({ logEvent: true })", async () => {
    // Prepare
    const logger = createLogger({ serviceName: 'log-event' });
    const handler = middy(async () => ({ statusCode: 200 })).use(
      injectLambdaContext(logger, { logEvent: true }),
    );
    const event = httpApiEvent({ method: 'POST', path: '/prompts', token: jwt, body: { password } });

    // Act
    const { output } = await captureOutput(() => handler(event, lambdaContext()));

    // Assess
    expect(output).toContain('Lambda invocation event');
    expectNoSecret(output, [jwt, password]);
  });

  it('masks secrets passed as the message object', async () => {
    // Act
    const output = await logged((logger) => logger.info({ message: `token ${jwt}`, password }));

    // Assess
    expectNoSecret(output, [jwt, password]);
  });

  it('masks secrets in the Lambda context-injected log lines too', async () => {
    // Act
    const output = await logged((logger) => {
      logger.addContext(lambdaContext());
      logger.info('with context', { secret: password });
    });

    // Assess
    expectNoSecret(output, [password]);
    expect(output).toContain('function_request_id');
  });

  it('never writes a secret placed anywhere under a secret key, at any depth', async () => {
    // Prepare
    const pathArb = fc.array(fc.constantFrom('detail', 'items', 'headers', 'data', 'x'), { maxLength: 6 });
    const keyArb = fc.constantFrom(
      'password',
      'Password',
      'secretAccessKey',
      'sessionToken',
      'SessionToken',
      'accessKeyId',
      'authorization',
      'Authorization',
      'idToken',
      'clientSecret',
      'credentials',
    );
    const secretArb = fc.stringMatching(/^[A-Za-z0-9/+]{12,40}$/).map((value) => `S3CR3T${value}`);

    await fc.assert(
      fc.asyncProperty(pathArb, keyArb, secretArb, fc.boolean(), async (path, key, secret, inArray) => {
        const payload = path.reduceRight<unknown>(
          (inner, segment) => (inArray ? { [segment]: [inner] } : { [segment]: inner }),
          { [key]: secret, visible: 'ok' },
        );

        // Act
        const output = await logged((logger) => logger.info('random', { payload }));

        // Assess
        expect(output).not.toContain(secret);
        expect(output).toContain('"visible":"ok"');
      }),
      { numRuns: 100 },
    );
  });

  it('never writes a JWT placed anywhere in a string, at any depth', async () => {
    // Prepare
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
    const jwtArb = fc.tuple(segment, segment, segment).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`);
    const pathArb = fc.array(fc.constantFrom('detail', 'items', 'note', 'text'), { maxLength: 5 });

    await fc.assert(
      fc.asyncProperty(jwtArb, pathArb, fc.string({ maxLength: 10 }), async (token, path, prefix) => {
        const payload = path.reduceRight<unknown>(
          (inner, key) => ({ [key]: inner }),
          `${prefix} ${token} end`,
        );

        // Act
        const output = await logged((logger) => logger.info(`message ${token}`, { payload }));

        // Assess
        expect(output).not.toContain(token);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps circular references and bigints loggable', async () => {
    // Prepare
    const circular: Record<string, unknown> = { name: 'loop', password };
    circular.self = circular;

    // Act
    const output = await logged((logger) => logger.info('odd values', { circular, big: 10n }));

    // Assess
    expectNoSecret(output, [password]);
    expect(JSON.parse(output)).toMatchObject({ big: '10', circular: { name: 'loop', password: REDACTED } });
  });
});

describe('tenantKeysMiddleware', () => {
  it.each(['after', 'onError'] as const)(
    'removes the tenant keys in %s, named after its before',
    async (step) => {
      // Prepare
      const logger = new Logger({ serviceName: 'test' });
      const tenantKeysBefore = async () => appendTenantKeys(logger, { tenantId: 'tenant-a' });
      const middleware = tenantKeysMiddleware(logger, tenantKeysBefore);
      const removeKeys = jest.spyOn(logger, 'removeKeys');

      // Act
      await middleware[step]?.({} as never);

      // Assess
      expect(middleware.before).toBe(tenantKeysBefore);
      expect(middleware[step]?.name).toBe(step === 'after' ? 'tenantKeysAfter' : 'tenantKeysOnError');
      expect(removeKeys).toHaveBeenCalledWith([...TENANT_LOG_KEYS]);
    },
  );
});
