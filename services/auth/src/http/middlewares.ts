import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { PayloadTooLargeError } from '@tenant-assistant/lambda-kit/errors';
import { type AnyMiddleware, httpEdge, MAX_BODY_BYTES } from '@tenant-assistant/lambda-kit/http';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { httpAdminContext } from '@tenant-assistant/tenant-context/admin';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import type { TenantDirectory } from '../adapters/cognito';
import { InvalidInputError } from '../errors';
import { metrics, tracer } from '../observability';

export { type HttpResult, jsonResponse, MAX_BODY_BYTES } from '@tenant-assistant/lambda-kit/http';

export interface AdminHttpDeps {
  verifier: TokenVerifier;
  directory: () => TenantDirectory;
  logger: Logger;
  /** Browser origins allowed by CORS. */
  webOrigins: () => readonly string[];
}

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
      throw new PayloadTooLargeError(`The request body must be at most ${MAX_BODY_BYTES} bytes`);
    }
    try {
      request.event.body = JSON.parse(text) as unknown;
    } catch (error) {
      throw new InvalidInputError('request', ['body: is not valid JSON'], error);
    }
  },
});

/**
 * The middlewares of every admin API route, in order: the X-Ray trace, lambda-kit's {@link httpEdge} (Lambda context
 * in logs, normalized event, CORS and security headers, errors as `{"error":{"code","message"}}`),
 * the verified admin caller (tenant-context's; its tenant in the logs and the trace), the count of admin actions
 * (`AdminRequest`/`…Refused`/`…Failed` per caller's tenant and route), then (after authentication) the JSON body.
 *
 * @example middy(makeHandler(deps)).use(adminApiMiddlewares(deps))
 */
export const adminApiMiddlewares = (deps: AdminHttpDeps): AnyMiddleware[] => [
  traceInvocation(tracer),
  ...httpEdge({ logger: deps.logger, webOrigins: deps.webOrigins, resetKeys: true }),
  httpAdminContext({
    verifier: deps.verifier,
    groupsOf: () => (username) => deps.directory().groupsOf(username),
    logger: deps.logger,
  }),
  outcomeMetrics<{ caller?: { tenant: { tenantId: string } }; routeKey?: string }>({
    metrics,
    name: 'AdminRequest',
    dimensions: (event) => ({ tenant: event.caller?.tenant.tenantId, action: event.routeKey }),
  }),
  optionalJsonBody(),
];
