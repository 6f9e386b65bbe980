import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj, MiddyfiedHandler } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import { httpTenantContext } from '@tenant-assistant/tenant-context/middleware';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { httpBodyLimit } from './body-limit';
import { GENERIC_ERROR_MESSAGE, httpErrorEnvelope } from './error-envelope';

export interface HttpDeps {
  /** Verifies the caller's token in code (even behind the API Gateway authorizer). */
  verifier: TokenVerifier;
  logger: Logger;
  /** Browser origins allowed by CORS. */
  webOrigins: () => readonly string[];
}

/** Logs a failed request: refusals (4xx) briefly, failures (5xx) with the error; never the event or token. */
const logRequestError = (logger: Logger) => (error: unknown) => {
  const { statusCode, code, message } = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (typeof statusCode === 'number' && statusCode < 500) {
    logger.info('Request refused', { statusCode, code, reason: message });
  } else {
    logger.error('Request failed', { error: error as Error });
  }
};

/** Error handling shared by HTTP routes and WebSocket `$connect`: middy's handler, then our envelope. */
const errorMiddlewares = (logger: Logger): MiddlewareObj[] => [
  httpErrorEnvelope(),
  httpErrorHandler({ logger: logRequestError(logger), fallbackMessage: GENERIC_ERROR_MESSAGE }),
];

/**
 * The middlewares of every HTTP API route, in order: Lambda context in logs, normalized headers and
 * event, CORS and security headers on every response (errors too), errors as
 * `{"error":{"code","message"}}`, then the verified tenant context; with `jsonBody`, a 16 KB body
 * limit and the JSON body parser (after authentication, so anonymous callers learn nothing).
 *
 * @example middy(makeHandler(deps)).use(httpApiMiddlewares(deps, { jsonBody: true }))
 */
export const httpApiMiddlewares = (deps: HttpDeps, options: { jsonBody?: boolean } = {}): MiddlewareObj[] => [
  injectLambdaContext(deps.logger) as MiddlewareObj,
  httpHeaderNormalizer(),
  httpEventNormalizer() as MiddlewareObj,
  httpCors({
    getOrigin: (incoming: string | undefined) =>
      incoming !== undefined && deps.webOrigins().includes(incoming) ? incoming : null,
    vary: 'Origin',
  }) as MiddlewareObj,
  httpSecurityHeaders() as MiddlewareObj,
  ...errorMiddlewares(deps.logger),
  httpTenantContext({ verifier: deps.verifier, logger: deps.logger }) as MiddlewareObj,
  ...(options.jsonBody
    ? [httpBodyLimit(), httpJsonBodyParser({ disableContentTypeCheck: true }) as MiddlewareObj]
    : []),
];

/**
 * The middlewares of WebSocket `$connect`: the `?token=` is verified in code; a refusal (401/403)
 * rejects the connection.
 *
 * @example middy(makeHandler(deps)).use(webSocketConnectMiddlewares(deps))
 */
export const webSocketConnectMiddlewares = (deps: Omit<HttpDeps, 'webOrigins'>): MiddlewareObj[] => [
  injectLambdaContext(deps.logger) as MiddlewareObj,
  ...errorMiddlewares(deps.logger),
  httpTenantContext({ verifier: deps.verifier, logger: deps.logger }) as MiddlewareObj,
];

/** What an HTTP route answers (middlewares add CORS and security headers). */
export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * An HTTP route as API Gateway (and a test) invokes it: with the raw event. middy types a handler by
 * the event its inner function sees, after the middlewares added `tenant` and parsed the body.
 */
export type HttpApiHandler = MiddyfiedHandler<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>;

/** The raw WebSocket `$connect` event (headers and query string included). */
export type WebSocketConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
};

/** WebSocket `$connect` as API Gateway invokes it. */
export type WebSocketConnectHandler = MiddyfiedHandler<WebSocketConnectEvent, HttpResult>;

/** A JSON response that is never cached (answers are private). */
export const jsonResponse = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
});
