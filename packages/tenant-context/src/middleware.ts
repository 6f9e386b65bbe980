import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import { fromSessionAttributes, type ScopedCredentials } from './credentials';
import { UnauthorizedError } from './errors';
import type { TenantContext } from './identity';
import { appendTenantKeys, createLogger, removeTenantKeys, tenantKeysMiddleware } from './logger';
import { bearerToken, type TokenVerifier } from './tokens';

/** An event with the tenant context established by one of these middlewares. */
export type WithTenant<E> = E & { tenant: TenantContext };

const defaultLogger = createLogger({ serviceName: 'tenant-context' });

/** The parts of an API Gateway HTTP API (v2) or WebSocket event this middleware reads. */
export interface HttpLikeEvent {
  headers?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  requestContext?: {
    routeKey?: string;
    eventType?: string;
    authorizer?: { jwt?: { claims?: Record<string, unknown> } } | null;
  };
}

export interface HttpTenantContextOptions {
  /** Verifies the token in code, even behind an API Gateway authorizer. */
  verifier: TokenVerifier;
  /** Logger that receives `tenant_id` / `user_id` for the invocation. */
  logger?: Logger;
}

const headerValue = (headers: HttpLikeEvent['headers'], name: string): string | undefined => {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
};

const isWebSocketConnect = (event: HttpLikeEvent) =>
  event.requestContext?.routeKey === '$connect' || event.requestContext?.eventType === 'CONNECT';

/**
 * middy middleware for HTTP API and WebSocket `$connect` handlers: takes the Bearer token (for
 * `$connect` also the `token` query parameter, as browsers cannot set WebSocket headers), verifies
 * it, and sets `event.tenant`. Missing/invalid token → UnauthorizedError (401); no tenant →
 * ForbiddenError (403). A token whose subject differs from the API Gateway authorizer's is refused.
 * `tenant_id`/`user_id` are appended to the logger and removed after every invocation, error or not.
 *
 * @example
 * export const handler = middy(makeHandler(deps))
 *   .use(httpErrorHandler())
 *   .use(httpTenantContext({ verifier, logger }));
 */
export const httpTenantContext = <E extends HttpLikeEvent = HttpLikeEvent>(
  options: HttpTenantContextOptions,
): MiddlewareObj<WithTenant<E>> => {
  const logger = options.logger ?? defaultLogger;

  const httpTenantContextBefore = async (request: Request<WithTenant<E>>) => {
    removeTenantKeys(logger);
    const event = request.event;
    const token =
      bearerToken(headerValue(event.headers, 'authorization')) ??
      (isWebSocketConnect(event) ? event.queryStringParameters?.token : undefined);
    if (!token) throw new UnauthorizedError('Missing bearer token');
    const { claims, tenant } = await options.verifier.verify(token);
    const authorizerSub = event.requestContext?.authorizer?.jwt?.claims?.sub;
    if (authorizerSub !== undefined && authorizerSub !== claims.sub) {
      throw new UnauthorizedError('Token does not match the authorizer');
    }
    event.tenant = tenant;
    appendTenantKeys(logger, tenant);
  };
  return tenantKeysMiddleware(logger, httpTenantContextBefore);
};

/** A Bedrock action-group event after {@link sessionAttributesTenantContext}. */
export type WithScopedCredentials<E> = WithTenant<E> & { scopedCredentials: ScopedCredentials };

export interface SessionAttributesTenantContextOptions {
  logger?: Logger;
}

/**
 * middy middleware for Bedrock action-group Lambdas: tenant, user and scoped credentials come ONLY
 * from `sessionAttributes` (set by the agent-invoker, never seen by the model) — never from
 * `parameters`, `promptSessionAttributes` or the input text. Sets `event.tenant` and a
 * non-enumerable `event.scopedCredentials`; throws InvalidSessionAttributesError when missing/bad.
 *
 * @example
 * middy(handler).use(sessionAttributesTenantContext({ logger }));
 */
export const sessionAttributesTenantContext = <
  E extends { sessionAttributes?: Record<string, string> | null },
>(
  options: SessionAttributesTenantContextOptions = {},
): MiddlewareObj<WithScopedCredentials<E>> => {
  const logger = options.logger ?? defaultLogger;

  const sessionAttributesTenantContextBefore = async (request: Request<WithScopedCredentials<E>>) => {
    removeTenantKeys(logger);
    const { tenant, credentials } = fromSessionAttributes(request.event.sessionAttributes);
    request.event.tenant = tenant;
    Object.defineProperty(request.event, 'scopedCredentials', {
      value: credentials,
      enumerable: false,
      configurable: true,
      writable: false,
    });
    appendTenantKeys(logger, tenant);
  };
  return tenantKeysMiddleware(logger, sessionAttributesTenantContextBefore);
};
