import type { Logger } from '@aws-lambda-powertools/logger';
import middy, { type MiddlewareObj } from '@middy/core';
import {
  captureLogs,
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  type TestIssuer,
  webSocketConnectEvent,
} from '@tenant-assistant/testing';
import type { Context } from 'aws-lambda';
import { userA, userB } from '../test/ids';
import { tenantKeysOf } from '../test/logs';
import type { TenantContext } from './identity';
import { createLogger } from './logger';
import { type HttpLikeEvent, httpTenantContext, type WithTenant } from './middleware';
import { createTokenVerifier, type TokenVerifier } from './tokens';

const run = captureLogs;

describe('httpTenantContext', () => {
  let issuer: TestIssuer;
  let verifier: TokenVerifier;
  let logger: Logger;
  let seen: (TenantContext | undefined)[];

  /** A real middy handler that logs and records the tenant it sees; `fail` makes it throw. */
  const makeHandler = (options: { fail?: boolean; withLogger?: boolean } = {}) => {
    const handler = middy(async (event: WithTenant<HttpLikeEvent>) => {
      seen.push(event.tenant);
      logger.info('handling');
      if (options.fail) throw new Error('handler failed');
      return { statusCode: 200, body: event.tenant.tenantId };
    }).use(httpTenantContext(options.withLogger === false ? { verifier } : { verifier, logger }));
    // The raw event as API Gateway sends it: the middleware adds `tenant`.
    return (event: HttpLikeEvent, context: Context) => handler(event as WithTenant<HttpLikeEvent>, context);
  };

  beforeAll(async () => {
    issuer = await createTestIssuer();
    verifier = createTokenVerifier(issuer.preloaded);
  });

  beforeEach(() => {
    logger = createLogger({ serviceName: 'middleware-test' });
    seen = [];
  });

  it('sets the verified tenant on the event and on the log keys for the invocation', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userA, tenantId: 'tenant-a' });

    // Act
    const { value, error, lines } = await run(() =>
      makeHandler()(httpApiEvent({ method: 'POST', path: '/prompts', token }), lambdaContext()),
    );

    // Assess
    expect(error).toBeUndefined();
    expect(value).toEqual({ statusCode: 200, body: 'tenant-a' });
    expect(seen).toEqual([{ tenantId: 'tenant-a', userId: userA }]);
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: 'tenant-a', user_id: userA });
  });

  it('reads the Authorization header whatever its case', async () => {
    // Prepare
    const token = await issuer.accessToken({ sub: userA, tenantId: 'tenant-a' });
    const event = {
      headers: { AUTHORIZATION: `Bearer ${token}` },
      requestContext: { routeKey: 'GET /answers' },
    };

    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toBeUndefined();
    expect(seen).toEqual([{ tenantId: 'tenant-a', userId: userA }]);
  });

  it('reads the token query parameter of a WebSocket $connect', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userB, tenantId: 'tenant-b' });

    // Act
    const { error } = await run(() => makeHandler()(webSocketConnectEvent({ token }), lambdaContext()));

    // Assess
    expect(error).toBeUndefined();
    expect(seen).toEqual([{ tenantId: 'tenant-b', userId: userB }]);
  });

  it('reads the token query parameter of a CONNECT event type', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userB, tenantId: 'tenant-b' });
    const event = { queryStringParameters: { token }, requestContext: { eventType: 'CONNECT' } };

    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toBeUndefined();
  });

  it('reads the token query parameter of a $connect route without an event type', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userB, tenantId: 'tenant-b' });
    const event = { queryStringParameters: { token }, requestContext: { routeKey: '$connect' } };

    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toBeUndefined();
    expect(seen).toEqual([{ tenantId: 'tenant-b', userId: userB }]);
  });

  it('ignores the token query parameter outside $connect', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userA });
    const event = httpApiEvent({ method: 'GET', path: '/answers', queryStringParameters: { token } });

    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toMatchObject({
      name: 'UnauthorizedError',
      statusCode: 401,
      message: 'Missing bearer token',
    });
    expect(seen).toEqual([]);
  });

  it.each<[string, HttpLikeEvent]>([
    ['no headers', {}],
    ['null headers', { headers: null }],
    ['a Basic header', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }],
    ['an empty Bearer header', { headers: { authorization: 'Bearer ' } }],
    ['a $connect without token', { queryStringParameters: null, requestContext: { routeKey: '$connect' } }],
  ])('refuses %s with 401 without calling the handler', async (_label, event) => {
    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toMatchObject({ name: 'UnauthorizedError', statusCode: 401 });
    expect(seen).toEqual([]);
  });

  it('refuses a forged token with 401 and a tenant-less token with 403', async () => {
    // Prepare
    const forged = `${(await issuer.idToken({ sub: userA })).slice(0, -4)}AAAA`;
    const tenantless = await issuer.idToken({ sub: userA, tenantId: null });

    // Act
    const first = await run(() => makeHandler()(httpApiEvent({ token: forged }), lambdaContext()));
    const second = await run(() => makeHandler()(httpApiEvent({ token: tenantless }), lambdaContext()));

    // Assess
    expect(first.error).toMatchObject({ statusCode: 401 });
    expect(second.error).toMatchObject({ name: 'ForbiddenError', statusCode: 403 });
    expect(seen).toEqual([]);
  });

  it('refuses a token whose subject differs from the API Gateway authorizer claims', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userA });
    const event = httpApiEvent({ token, claims: { sub: userB } });

    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toMatchObject({
      name: 'UnauthorizedError',
      message: 'Token does not match the authorizer',
    });
    expect(seen).toEqual([]);
  });

  it('replaces a tenant already present on the event with the verified one', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userA, tenantId: 'tenant-a' });
    const event = { ...httpApiEvent({ token }), tenant: { tenantId: 'tenant-evil', userId: userB } };

    // Act
    await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(seen).toEqual([{ tenantId: 'tenant-a', userId: userA }]);
  });

  it('removes the tenant log keys after the invocation', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userA, tenantId: 'tenant-a' });
    await run(() => makeHandler()(httpApiEvent({ token }), lambdaContext()));

    // Act
    const { lines } = await run(async () => logger.info('between invocations'));

    // Assess
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('never shows the first tenant to a second invocation, even after the handler threw', async () => {
    // Prepare
    const handler = makeHandler({ fail: true });
    const tokenA = await issuer.idToken({ sub: userA, tenantId: 'tenant-a' });
    const tokenB = await issuer.idToken({ sub: userB, tenantId: 'tenant-b' });
    const first = await run(() => handler(httpApiEvent({ token: tokenA }), lambdaContext()));
    const refusedEvent = httpApiEvent({});

    // Act
    const between = await run(async () => logger.info('between invocations'));
    const second = await run(() => handler(httpApiEvent({ token: tokenB }), lambdaContext()));
    const refused = await run(() => handler(refusedEvent, lambdaContext()));
    const after = await run(async () => logger.info('after every invocation'));

    // Assess
    expect(first.error).toEqual(new Error('handler failed'));
    expect(tenantKeysOf(first.lines[0])).toEqual({ tenant_id: 'tenant-a', user_id: userA });
    expect(tenantKeysOf(between.lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
    expect(seen).toEqual([
      { tenantId: 'tenant-a', userId: userA },
      { tenantId: 'tenant-b', userId: userB },
    ]);
    expect(tenantKeysOf(second.lines[0])).toEqual({ tenant_id: 'tenant-b', user_id: userB });
    expect(second.output).not.toContain('"tenant-a"');
    expect(second.output).not.toContain(userA);
    expect(refused.error).toMatchObject({ statusCode: 401 });
    expect((refusedEvent as Partial<WithTenant<HttpLikeEvent>>).tenant).toBeUndefined();
    expect(`${refused.output}${after.output}`).not.toMatch(/tenant-[ab]|user_id/);
  });

  it('drops stale tenant keys left by someone else before verifying', async () => {
    // Prepare
    logger.appendKeys({ tenant_id: 'tenant-stale', user_id: userB });
    const probe: MiddlewareObj = { onError: async () => logger.warn('refused') };
    // Inside the tenant context: its onError runs first, so it sees what the before phase left.
    const handler = middy(async () => 'unreachable')
      .use(httpTenantContext({ verifier, logger }))
      .use(probe);

    // Act
    const { lines } = await run(() => handler({ headers: {} } as never, lambdaContext()));

    // Assess
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('cleans up even when an outer middleware short-circuits its after phase', async () => {
    // Prepare: the outer middleware's `after` runs after ours because ours is used last (innermost).
    const token = await issuer.idToken({ sub: userA, tenantId: 'tenant-a' });
    const shortCircuit: MiddlewareObj = { after: async () => ({ statusCode: 304 }) };
    const handler = middy(async () => ({ statusCode: 200 }))
      .use(shortCircuit)
      .use(httpTenantContext({ verifier, logger }));

    // Act
    const { value } = await run(() => handler(httpApiEvent({ token }) as never, lambdaContext()));
    const { lines } = await run(async () => logger.info('next'));

    // Assess
    expect(value).toEqual({ statusCode: 304 });
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('works with the default logger', async () => {
    // Prepare
    const token = await issuer.idToken({ sub: userA, tenantId: 'tenant-a' });

    // Act
    const { error } = await run(() =>
      makeHandler({ withLogger: false })(httpApiEvent({ token }), lambdaContext()),
    );

    // Assess
    expect(error).toBeUndefined();
    expect(seen).toEqual([{ tenantId: 'tenant-a', userId: userA }]);
  });
});
