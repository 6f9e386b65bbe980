import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import type { TenantDirectory } from '../adapters/cognito';
import { InvalidInputError, PayloadTooLargeError } from '../errors';
import { type AdminCaller, httpAdminContext } from './admin-context';
import { GENERIC_ERROR_MESSAGE, httpErrorEnvelope } from './error-envelope';

export interface AdminHttpDeps {
  verifier: TokenVerifier;
  directory: () => TenantDirectory;
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
    logger.info('Admin request refused', { statusCode, code, reason: message });
  } else {
    logger.error('Admin request failed', { error: error as Error });
  }
};

/** Appends the caller to the logs of the invocation (reset by injectLambdaContext's resetKeys). */
const logCaller = (logger: Logger): MiddlewareObj<{ caller?: AdminCaller }> => ({
  before: (request) => {
    const caller = request.event.caller;
    if (caller) logger.appendKeys({ tenant_id: caller.tenant.tenantId, user_id: caller.tenant.userId });
  },
});

/** Largest admin request body accepted, bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Parses a JSON body when there is one (admin routes without a body, e.g. GET or suspend, have
 * none): oversize → 413, malformed → 400 `INVALID_INPUT`.
 */
const optionalJsonBody = (): MiddlewareObj<{ body?: unknown; isBase64Encoded?: boolean }> => ({
  before: (request) => {
    const { body, isBase64Encoded } = request.event;
    if (typeof body !== 'string' || body.trim() === '') {
      request.event.body = undefined;
      return;
    }
    const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
      throw new PayloadTooLargeError(MAX_BODY_BYTES);
    }
    try {
      request.event.body = JSON.parse(text) as unknown;
    } catch (error) {
      throw new InvalidInputError('request', ['body: is not valid JSON'], error);
    }
  },
});

/**
 * The middlewares of every admin API route, in order: Lambda context in logs, normalized headers and
 * event, CORS and security headers on every response, errors as `{"error":{"code","message"}}` (the
 * envelope of chat-api), the verified admin caller, then (after authentication) the JSON body.
 *
 * @example middy(makeHandler(deps)).use(adminApiMiddlewares(deps))
 */
export const adminApiMiddlewares = (deps: AdminHttpDeps): MiddlewareObj[] => [
  injectLambdaContext(deps.logger, { resetKeys: true }) as MiddlewareObj,
  httpHeaderNormalizer(),
  httpEventNormalizer() as MiddlewareObj,
  httpCors({
    getOrigin: (incoming: string | undefined) =>
      incoming !== undefined && deps.webOrigins().includes(incoming) ? incoming : null,
    vary: 'Origin',
  }) as MiddlewareObj,
  httpSecurityHeaders() as MiddlewareObj,
  httpErrorEnvelope(),
  httpErrorHandler({ logger: logRequestError(deps.logger), fallbackMessage: GENERIC_ERROR_MESSAGE }),
  httpAdminContext({ verifier: deps.verifier, directory: deps.directory }) as MiddlewareObj,
  logCaller(deps.logger) as MiddlewareObj,
  optionalJsonBody() as MiddlewareObj,
];

/** What a route answers (middlewares add CORS and security headers). */
export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A JSON response that is never cached. */
export const jsonResponse = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
});
