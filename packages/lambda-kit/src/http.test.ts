import { Logger } from '@aws-lambda-powertools/logger';
import { captureLogs, lambdaContext } from '@tenant-assistant/testing';
import { AppError, RouteNotFoundError } from './errors';
import {
  dispatchRoute,
  httpBodyLimit,
  httpEdge,
  httpErrorResponses,
  jsonResponse,
  lambdaHandler,
  middlewareChain,
  pathParameter,
  type Routes,
} from './http';

type Raw = { body?: string; isBase64Encoded?: boolean };
type Parsed = Raw & { parsed: true };

const markParsed = {
  before: (request: { event: Raw & { parsed?: boolean } }) => {
    request.event.parsed = true;
  },
};

const route = (act: (event: Parsed) => Promise<unknown>) =>
  lambdaHandler(
    middlewareChain<Raw, Parsed>(
      ...httpErrorResponses(new Logger({ serviceName: 'kit-test' })),
      httpBodyLimit({ maxBytes: 8 }),
      markParsed,
    ),
    async (event: Parsed) => jsonResponse(200, await act(event)),
  );

describe('lambdaHandler', () => {
  it('runs the chain in order before the handler', async () => {
    // Act
    const response = await route(async (event) => ({ parsed: event.parsed }))(
      { body: '{}' },
      lambdaContext(),
    );

    // Assess
    expect(response).toMatchObject({ statusCode: 200, body: '{"parsed":true}' });
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store' });
  });
});

describe('httpErrorResponses', () => {
  it('answers an exposed error with its code and message', async () => {
    // Prepare
    const handler = route(async () => {
      throw Object.assign(new AppError('Too many prompts', { code: 'RATE_LIMITED', statusCode: 429 }), {
        retryAfterSeconds: 7,
      });
    });

    // Act
    const { value } = await captureLogs(() => handler({}, lambdaContext()));

    // Assess
    expect(value).toMatchObject({
      statusCode: 429,
      headers: expect.objectContaining({ 'Retry-After': '7' }),
      body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many prompts' } }),
    });
  });

  it('hides everything about a failure', async () => {
    // Prepare
    const handler = route(async () => {
      throw new AppError('table tenant-a-orders is missing', { code: 'BROKEN' });
    });

    // Act
    const { value, lines } = await captureLogs(() => handler({}, lambdaContext()));

    // Assess
    expect(value).toMatchObject({
      statusCode: 500,
      body: JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Internal server error' } }),
    });
    expect(lines[0]).toMatchObject({ level: 'ERROR', message: 'Request failed' });
  });
});

describe('httpBodyLimit', () => {
  it.each([
    ['a plain body', { body: '123456789' }],
    ['a base64 body', { body: Buffer.from('123456789').toString('base64'), isBase64Encoded: true }],
  ])('refuses %s over the limit with 413', async (_name, event) => {
    // Act
    const { value } = await captureLogs(() => route(async () => 'ok')(event, lambdaContext()));

    // Assess
    expect(value).toMatchObject({ statusCode: 413, body: expect.stringContaining('BODY_TOO_LARGE') });
  });
});

describe('httpEdge', () => {
  const edgeRoute = (act: () => Promise<unknown>) =>
    lambdaHandler(
      middlewareChain(
        ...httpEdge({
          logger: new Logger({ serviceName: 'kit-test' }),
          webOrigins: () => ['https://app.example.com'],
        }),
      ),
      async () => jsonResponse(200, await act()),
    );
  const event = (origin: string) => ({
    version: '2.0',
    rawPath: '/x',
    headers: { Origin: origin },
    requestContext: { http: { method: 'GET', path: '/x' } },
  });

  it('answers an allowed origin with CORS and security headers', async () => {
    // Prepare
    const handler = edgeRoute(async () => ({ ok: true }));

    // Act
    const response = await handler(event('https://app.example.com'), lambdaContext());

    // Assess
    expect(response.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://app.example.com',
      Vary: 'Origin',
      'Strict-Transport-Security': expect.any(String),
    });
  });

  it('names no other origin, and keeps the headers on an error answer', async () => {
    // Prepare
    const handler = edgeRoute(async () => {
      throw new AppError('Too many prompts', { code: 'RATE_LIMITED', statusCode: 429 });
    });

    // Act
    const { value } = await captureLogs(() => handler(event('https://evil.example.com'), lambdaContext()));

    // Assess
    expect(value?.statusCode).toBe(429);
    expect(value?.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    expect(value?.headers).toMatchObject({ 'Strict-Transport-Security': expect.any(String) });
    expect(value?.body).toBe(
      JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many prompts' } }),
    );
  });
});

describe('dispatchRoute', () => {
  const routes: Routes<string, { routeKey?: string; pathParameters?: Record<string, string> }> = {
    'GET /things/{id}': async (deps, event) => jsonResponse(200, { deps, id: pathParameter(event, 'id') }),
  };

  it('answers with the route of the routeKey, given the deps and the event', async () => {
    // Act
    const result = await dispatchRoute(routes, 'deps', {
      routeKey: 'GET /things/{id}',
      pathParameters: { id: 'a1' },
    });

    // Assess
    expect(JSON.parse(result.body ?? '')).toEqual({ deps: 'deps', id: 'a1' });
  });

  it.each([
    ['an unknown routeKey', { routeKey: 'DELETE /things/{id}' }],
    ['no routeKey', {}],
    ['an inherited property name', { routeKey: 'constructor' }],
    ['a declared path parameter missing', { routeKey: 'GET /things/{id}' }],
  ])('refuses %s with 404 NOT_FOUND', async (_case, event) => {
    // Act
    const error = await Promise.resolve()
      .then(() => dispatchRoute(routes, 'deps', event))
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(RouteNotFoundError);
    expect(error).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
