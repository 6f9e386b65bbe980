import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler, type Request } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { Context } from 'aws-lambda';
import { type ErrorBody, PayloadTooLargeError, RouteNotFoundError } from './errors';
import { logFailure } from './middlewares';

/** Any middleware middy's `use` accepts (middy's own constraint, so no call site needs a cast). */
export type AnyMiddleware = Extract<Parameters<MiddyfiedHandler['use']>[0], readonly unknown[]>[number];

/**
 * An ordered list of middlewares that turns the event a function is invoked with (`In`) into the
 * event its handler reads (`Out`): e.g. a raw HTTP API event into one with `tenant` set and the
 * body parsed. The order is the list's order, so where it matters (errors before authentication,
 * authentication before parsing the body) it is written once, in the chain's factory.
 */
export interface MiddlewareChain<In, Out> {
  readonly middlewares: readonly AnyMiddleware[];
  /** Type-level only: the events the chain takes and gives. */
  readonly events?: { readonly in: In; readonly out: Out };
}

/**
 * A {@link MiddlewareChain} from `In` to `Out`.
 * @example const chain = middlewareChain<RawEvent, WithTenant<RawEvent>>(errors(), httpTenantContext({ verifier }));
 */
export const middlewareChain = <In, Out = In>(
  ...middlewares: readonly AnyMiddleware[]
): MiddlewareChain<In, Out> => ({ middlewares });

/**
 * A Lambda handler: `handler` wrapped in `chain`, typed by the event it is invoked with and the
 * result it gives. middy types a chain by its inner handler's event; this is the one place where
 * the event a function is invoked with and the one its handler reads (after the middlewares) meet.
 *
 * @example export const createHandler = (deps: Deps) => lambdaHandler(httpApiMiddlewares(deps), makeHandler(deps));
 */
export const lambdaHandler = <In, Out, Result>(
  chain: MiddlewareChain<In, Out>,
  handler: (event: Out, context: Context) => Promise<Result>,
): MiddyfiedHandler<In, Result> =>
  middy(handler).use([...chain.middlewares]) as unknown as MiddyfiedHandler<In, Result>;

/** What an HTTP route answers (middlewares add CORS and security headers). */
export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A function's HTTP routes by API Gateway's `routeKey` (`'GET /usage/tenants/{tenantId}'`). */
export type Routes<D, E> = Record<string, (deps: D, event: E) => Promise<HttpResult>>;

/**
 * Answers an HTTP API event with the route of its `routeKey`; none (a misrouted call) is
 * RouteNotFoundError (404).
 * @example export const makeHandler = (deps: Deps) => (event: Event) => dispatchRoute(routes, deps, event);
 */
export const dispatchRoute = <D, E extends { routeKey?: string }>(
  routes: Routes<D, E>,
  deps: D,
  event: E,
): Promise<HttpResult> => {
  const route =
    event.routeKey !== undefined && Object.hasOwn(routes, event.routeKey)
      ? routes[event.routeKey]
      : undefined;
  if (!route) throw new RouteNotFoundError();
  return route(deps, event);
};

/** A path parameter of the route (API Gateway fills every declared one; absent = misrouted: 404). */
export const pathParameter = (
  event: { pathParameters?: Record<string, string | undefined> | null },
  name: string,
): string => {
  const value = event.pathParameters?.[name];
  if (!value) throw new RouteNotFoundError();
  return value;
};

/** A JSON response that is never cached (answers are private). */
export const jsonResponse = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
});

/** Largest request body accepted, bytes (DESIGN section 4: larger is 413). */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Refuses a request body larger than `maxBytes` (after base64 decoding) with 413, before it is parsed.
 *
 * @example middy(handler).use(httpBodyLimit()).use(httpJsonBodyParser())
 */
export const httpBodyLimit = (options: { maxBytes?: number } = {}): MiddlewareObj => {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const httpBodyLimitBefore = (request: Request) => {
    const { body, isBase64Encoded } = request.event as { body?: unknown; isBase64Encoded?: boolean };
    if (typeof body !== 'string') return;
    const bytes = isBase64Encoded ? Buffer.from(body, 'base64').byteLength : Buffer.byteLength(body, 'utf8');
    if (bytes > maxBytes) {
      throw new PayloadTooLargeError(`The request body must be at most ${maxBytes} bytes`, 'BODY_TOO_LARGE');
    }
  };
  return { before: httpBodyLimitBefore };
};

/** What a caller sees of any error that is not exposed. */
export const GENERIC_ERROR_MESSAGE = 'Internal server error';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** middy's own errors that become another status: its JSON body parser answers 422/415 for bad JSON. */
const REMAPPED: Record<number, { statusCode: number; code: string }> = {
  415: { statusCode: 400, code: 'INVALID_JSON' },
  422: { statusCode: 400, code: 'INVALID_JSON' },
};

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  expose?: unknown;
  retryAfterSeconds?: unknown;
}

/**
 * Wraps the response @middy/http-error-handler produced into `{"error":{"code","message"}}`. Use it
 * BEFORE httpErrorHandler (middy runs `onError` in reverse order, so this runs after it). Messages
 * of exposed errors are kept; anything else is a generic 500. Middy's JSON parser errors (422/415)
 * become 400 `INVALID_JSON`; an error with `retryAfterSeconds` adds `Retry-After`.
 *
 * @example middy(handler).use(httpErrorEnvelope()).use(httpErrorHandler())
 */
export const httpErrorEnvelope = (): MiddlewareObj => {
  const httpErrorEnvelopeOnError = (request: Request) => {
    const response = request.response as
      | { statusCode?: number; headers?: Record<string, string>; body?: unknown }
      | undefined
      | null;
    if (!response) return;
    const error = (request.error ?? {}) as ErrorLike;
    const original = response.statusCode ?? 500;
    const remapped = REMAPPED[original];
    const statusCode = remapped?.statusCode ?? original;
    const exposed = statusCode < 500 || (error.expose === true && typeof error.code === 'string');
    const code =
      typeof error.code === 'string' && exposed
        ? error.code
        : (remapped?.code ??
          CODE_BY_STATUS[statusCode] ??
          (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'));
    const message =
      exposed && typeof error.message === 'string' && error.message !== ''
        ? error.message
        : GENERIC_ERROR_MESSAGE;
    const body: ErrorBody = { error: { code, message } };
    response.statusCode = statusCode;
    response.headers = { ...response.headers, 'Content-Type': 'application/json' };
    if (typeof error.retryAfterSeconds === 'number') {
      response.headers['Retry-After'] = String(error.retryAfterSeconds);
    }
    response.body = JSON.stringify(body);
  };
  return { onError: httpErrorEnvelopeOnError };
};

/**
 * The error handling of every HTTP (and WebSocket `$connect`) function, in order: errors as
 * `{"error":{"code","message"}}` ({@link httpErrorEnvelope}) around middy's `http-error-handler`,
 * which logs each failure with {@link logFailure} (refusals briefly, failures with the error).
 *
 * @example middlewareChain(...httpErrorResponses(logger), httpTenantContext({ verifier, logger }))
 */
export const httpErrorResponses = (logger: Logger): MiddlewareObj[] => [
  httpErrorEnvelope(),
  httpErrorHandler({ logger: logFailure(logger, 'Request'), fallbackMessage: GENERIC_ERROR_MESSAGE }),
];

export interface HttpEdgeOptions {
  logger: Logger;
  /** Browser origins allowed by CORS (asked per request, so configuration can be read lazily). */
  webOrigins: () => readonly string[];
  /** Drop the log keys a route appended (e.g. the caller) at the end of each invocation. */
  resetKeys?: boolean;
}

/**
 * The edge every HTTP API route of every service starts with, in order: Lambda context in logs,
 * normalized headers and event, CORS (only the allowed origins, `Vary: Origin`) and security headers
 * on every response, errors included, then {@link httpErrorResponses}. A service adds its own
 * authentication and body parsing after it.
 *
 * @example middlewareChain(...httpEdge({ logger, webOrigins }), httpTenantContext({ verifier, logger }))
 */
export const httpEdge = ({ logger, webOrigins, resetKeys = false }: HttpEdgeOptions): AnyMiddleware[] => [
  injectLambdaContext(logger, resetKeys ? { resetKeys } : undefined),
  httpHeaderNormalizer(),
  httpEventNormalizer(),
  httpCors({
    getOrigin: (incoming: string | undefined) =>
      incoming !== undefined && webOrigins().includes(incoming) ? incoming : null,
    vary: 'Origin',
  }),
  httpSecurityHeaders(),
  ...httpErrorResponses(logger),
];
