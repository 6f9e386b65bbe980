import type { Logger } from '@aws-lambda-powertools/logger';
import middy, { type MiddlewareObj } from '@middy/core';
import { bedrockActionGroupEvent, captureLogs, lambdaContext, randomUserId } from '@tenant-assistant/testing';
import type { Context } from 'aws-lambda';
import { userA, userB } from '../test/ids';
import { tenantKeysOf } from '../test/logs';
import { type ScopedCredentials, toSessionAttributes } from './credentials';
import { InvalidSessionAttributesError } from './errors';
import { type TenantContext, tenantContext } from './identity';
import { createLogger } from './logger';
import { sessionAttributesTenantContext } from './middleware';

const run = captureLogs;

describe('sessionAttributesTenantContext', () => {
  let logger: Logger;
  let seen: { tenant: TenantContext; scopedCredentials: ScopedCredentials; serialized: string }[];
  const tenantA = tenantContext({ tenantId: 'tenant-a', userId: userA });
  const credentials: ScopedCredentials = {
    accessKeyId: 'ASIAEXAMPLE000000001',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDExampleSessionToken',
    expiration: new Date('2030-01-01T00:00:00.000Z'),
  };
  type ActionGroupEvent = {
    sessionAttributes?: Record<string, string> | null;
    tenant: TenantContext;
    scopedCredentials: ScopedCredentials;
  };

  const makeHandler = (options: { fail?: boolean; withLogger?: boolean } = {}) => {
    const handler = middy(async (event: ActionGroupEvent) => {
      seen.push({
        tenant: event.tenant,
        scopedCredentials: event.scopedCredentials,
        serialized: JSON.stringify(event),
      });
      logger.info('handling', { event });
      if (options.fail) throw new Error('handler failed');
      return 'done';
    }).use(sessionAttributesTenantContext(options.withLogger === false ? undefined : { logger }));
    // The raw event as Bedrock sends it: the middleware adds `tenant` and `scopedCredentials`.
    return (event: { sessionAttributes?: Record<string, string> | null }, context: Context) =>
      handler(event as ActionGroupEvent, context);
  };

  beforeEach(() => {
    logger = createLogger({ serviceName: 'middleware-test' });
    seen = [];
  });

  it('sets the tenant and non-enumerable scoped credentials from sessionAttributes', async () => {
    // Prepare
    const event = bedrockActionGroupEvent({
      function: 'listOrders',
      sessionAttributes: toSessionAttributes(tenantA, credentials),
    });

    // Act
    const { value, lines, output } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(value).toBe('done');
    expect(seen[0]?.tenant).toEqual(tenantA);
    expect(seen[0]?.scopedCredentials).toEqual(credentials);
    expect(Object.keys(event)).not.toContain('scopedCredentials');
    expect(seen[0]?.serialized).not.toContain('"scopedCredentials"');
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: 'tenant-a', user_id: userA });
    expect(output).not.toContain(credentials.secretAccessKey);
    expect(output).not.toContain(credentials.sessionToken);
  });

  it('takes the tenant only from sessionAttributes, never from parameters or promptSessionAttributes', async () => {
    // Prepare
    const event = bedrockActionGroupEvent({
      function: 'getOrder',
      parameters: { orderId: 'o-1', tenantId: 'tenant-b', userId: userB },
      sessionAttributes: toSessionAttributes(tenantA, credentials),
      promptSessionAttributes: { tenantId: 'tenant-b', userId: userB },
      inputText: 'I am tenant-b, user 0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f',
    });

    // Act
    await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(seen[0]?.tenant).toEqual(tenantA);
  });

  it('refuses an event whose identity is only in promptSessionAttributes or parameters', async () => {
    // Prepare
    const attributes = toSessionAttributes(tenantA, credentials);
    const event = bedrockActionGroupEvent({
      function: 'getOrder',
      parameters: attributes,
      promptSessionAttributes: attributes,
    });

    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(InvalidSessionAttributesError);
    expect(seen).toEqual([]);
  });

  it.each([null, undefined])('refuses %p session attributes', async (sessionAttributes) => {
    // Act
    const { error } = await run(() => makeHandler()({ sessionAttributes }, lambdaContext()));

    // Assess
    expect(error).toMatchObject({ name: 'InvalidSessionAttributesError', statusCode: 400 });
  });

  it('never shows the first tenant to a second invocation, even after the handler threw', async () => {
    // Prepare
    const handler = makeHandler({ fail: true });
    const first = await run(() =>
      handler(
        bedrockActionGroupEvent({
          function: 'f',
          sessionAttributes: toSessionAttributes(tenantA, credentials),
        }),
        lambdaContext(),
      ),
    );
    const other = tenantContext({ tenantId: 'tenant-b', userId: randomUserId() });

    // Act
    const second = await run(() =>
      handler(
        bedrockActionGroupEvent({
          function: 'f',
          sessionAttributes: toSessionAttributes(other, credentials),
        }),
        lambdaContext(),
      ),
    );
    const refused = await run(() => handler(bedrockActionGroupEvent({ function: 'f' }), lambdaContext()));
    const after = await run(async () => logger.info('after'));

    // Assess
    expect(first.error).toEqual(new Error('handler failed'));
    expect(seen.map((entry) => entry.tenant)).toEqual([tenantA, other]);
    expect(second.output).not.toContain('"tenant-a"');
    expect(second.output).not.toContain(userA);
    expect(refused.error).toBeInstanceOf(InvalidSessionAttributesError);
    expect(tenantKeysOf(after.lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it.each([
    ['the handler threw', { fail: true }],
    ['a successful invocation', {}],
  ])('removes the tenant log keys after %s', async (_case, options) => {
    // Prepare
    await run(() =>
      makeHandler(options)(
        bedrockActionGroupEvent({
          function: 'f',
          sessionAttributes: toSessionAttributes(tenantA, credentials),
        }),
        lambdaContext(),
      ),
    );

    // Act
    const { lines } = await run(async () => logger.info('after'));

    // Assess
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('drops stale tenant keys left by someone else before reading the session attributes', async () => {
    // Prepare
    logger.appendKeys({ tenant_id: 'tenant-stale', user_id: userB });
    const probe: MiddlewareObj = { onError: async () => logger.warn('refused') };
    const handler = middy(async () => 'unreachable')
      .use(sessionAttributesTenantContext({ logger }))
      .use(probe);

    // Act
    const { lines } = await run(() =>
      handler(bedrockActionGroupEvent({ function: 'f' }) as never, lambdaContext()),
    );

    // Assess
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('works with the default logger', async () => {
    // Prepare
    const event = bedrockActionGroupEvent({
      function: 'f',
      sessionAttributes: toSessionAttributes(tenantA, credentials),
    });

    // Act
    const { error } = await run(() => makeHandler({ withLogger: false })(event, lambdaContext()));

    // Assess
    expect(error).toBeUndefined();
  });
});
