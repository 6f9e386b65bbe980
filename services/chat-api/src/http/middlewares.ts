import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddyfiedHandler } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import {
  type AnyMiddleware,
  type HttpResult,
  httpBodyLimit,
  httpEdge,
  httpErrorResponses,
  lambdaHandler,
  type MiddlewareChain,
  middlewareChain,
} from '@tenant-assistant/lambda-kit/http';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import {
  type GroupsOf,
  httpAdminContext,
  type WithAdminCaller,
} from '@tenant-assistant/tenant-context/admin';
import { httpTenantContext, type WithTenant } from '@tenant-assistant/tenant-context/middleware';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { metrics, tracer } from '../observability';

export { type HttpResult, jsonResponse } from '@tenant-assistant/lambda-kit/http';

export interface HttpDeps {
  /** Verifies the caller's token in code (even behind the API Gateway authorizer). */
  verifier: TokenVerifier;
  logger: Logger;
  /** Browser origins allowed by CORS. */
  webOrigins: () => readonly string[];
}

/** An HTTP API event as API Gateway (and a test) invokes a route with it. */
export type HttpApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
/** What a route's handler reads: the caller verified (`tenant`). */
export type HttpRouteEvent = WithTenant<HttpApiEvent>;
/** What a route with a JSON body reads: the caller verified and the body parsed (not yet validated). */
export type HttpJsonRouteEvent = WithTenant<Omit<HttpApiEvent, 'body'> & { body?: unknown }>;

/** The raw WebSocket `$connect` event (headers and query string included). */
export type WebSocketConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
};

const tenantContext = (deps: Pick<HttpDeps, 'verifier' | 'logger'>): AnyMiddleware =>
  httpTenantContext({ verifier: deps.verifier, logger: deps.logger });

/** Each request's outcome (`<name>`, `…Refused`, `…Failed`) per verified tenant and route. */
const requestMetrics = (name: string): AnyMiddleware =>
  outcomeMetrics<{
    tenant?: { tenantId: string };
    caller?: { tenant: { tenantId: string } };
    routeKey?: string;
  }>({
    metrics,
    name,
    dimensions: (event) => ({
      tenant: (event.tenant ?? event.caller?.tenant)?.tenantId,
      route: event.routeKey,
    }),
  });

const common = (deps: HttpDeps): AnyMiddleware[] => [
  traceInvocation(tracer),
  ...httpEdge({ logger: deps.logger, webOrigins: deps.webOrigins }),
  tenantContext(deps),
  requestMetrics('ApiRequest'),
];

/**
 * The middlewares of every HTTP API route, in order: the X-Ray trace, lambda-kit's `httpEdge` (Lambda context in
 * logs, normalized event, CORS and security headers on every response, errors too, errors as
 * `{"error":{"code","message"}}`), then the verified tenant context and the request's outcome metric
 * (`ApiRequest`, per tenant and route).
 *
 * @example lambdaHandler(httpApiMiddlewares(deps), makeHandler(deps)) (or {@link httpRoute})
 */
export const httpApiMiddlewares = (deps: HttpDeps): MiddlewareChain<HttpApiEvent, HttpRouteEvent> =>
  middlewareChain(...common(deps));

/**
 * {@link httpApiMiddlewares} plus, after authentication (so anonymous callers learn nothing), a
 * 16 KB body limit and the JSON body parser.
 *
 * @example lambdaHandler(httpJsonApiMiddlewares(deps), makeHandler(deps)) (or {@link httpJsonRoute})
 */
export const httpJsonApiMiddlewares = (deps: HttpDeps): MiddlewareChain<HttpApiEvent, HttpJsonRouteEvent> =>
  middlewareChain(...common(deps), httpBodyLimit(), httpJsonBodyParser({ disableContentTypeCheck: true }));

/**
 * The middlewares of WebSocket `$connect`: the `?token=` is verified in code; a refusal (401/403)
 * rejects the connection.
 *
 * @example lambdaHandler(webSocketConnectMiddlewares(deps), makeHandler(deps))
 */
export const webSocketConnectMiddlewares = (
  deps: Omit<HttpDeps, 'webOrigins'>,
): MiddlewareChain<WebSocketConnectEvent, WithTenant<WebSocketConnectEvent>> =>
  middlewareChain(
    traceInvocation(tracer),
    injectLambdaContext(deps.logger),
    ...httpErrorResponses(deps.logger),
    tenantContext(deps),
    requestMetrics('WebSocketConnect'),
  );

/** An HTTP route as API Gateway (and a test) invokes it: with the raw event. */
export type HttpApiHandler = MiddyfiedHandler<HttpApiEvent, HttpResult>;

/** WebSocket `$connect` as API Gateway invokes it. */
export type WebSocketConnectHandler = MiddyfiedHandler<WebSocketConnectEvent, HttpResult>;

/** A route's own step: the verified event in, one call into domain code, the HTTP result out. */
type RouteFactory<D, E> = (deps: D) => (event: E) => Promise<HttpResult>;

/**
 * An HTTP API route without a body: {@link httpApiMiddlewares} around the route's own step.
 * @example export const createHandler = httpRoute(makeHandler);
 */
export const httpRoute =
  <D extends HttpDeps>(makeHandler: RouteFactory<D, HttpRouteEvent>) =>
  (deps: D): HttpApiHandler =>
    lambdaHandler(httpApiMiddlewares(deps), makeHandler(deps));

/**
 * An HTTP API route with a JSON body: {@link httpJsonApiMiddlewares} around the route's own step.
 * @example export const createHandler = httpJsonRoute(makeHandler);
 */
export const httpJsonRoute =
  <D extends HttpDeps>(makeHandler: RouteFactory<D, HttpJsonRouteEvent>) =>
  (deps: D): HttpApiHandler =>
    lambdaHandler(httpJsonApiMiddlewares(deps), makeHandler(deps));

/** The caller's groups in the user pool, read on every request (tenant-context's admin rule). */
export interface AdminGroups {
  groupsOf: GroupsOf;
}

export interface AdminHttpDeps extends HttpDeps {
  adminGroups: AdminGroups;
}

/** What an admin route's handler reads: the caller verified, with their admin roles (`caller`). */
export type HttpAdminRouteEvent = WithAdminCaller<HttpApiEvent>;

/**
 * The middlewares of admin routes (the usage API): lambda-kit's `httpEdge`, then tenant-context's
 * `httpAdminContext` (token verified in code, the caller's groups read, `event.caller` set; their
 * tenant in the logs). Each route then requires the role it needs.
 *
 * @example lambdaHandler(httpAdminApiMiddlewares(deps), makeHandler(deps)) (or {@link httpAdminRoute})
 */
export const httpAdminApiMiddlewares = (
  deps: AdminHttpDeps,
): MiddlewareChain<HttpApiEvent, HttpAdminRouteEvent> =>
  middlewareChain(
    traceInvocation(tracer),
    ...httpEdge({ logger: deps.logger, webOrigins: deps.webOrigins }),
    httpAdminContext({
      verifier: deps.verifier,
      groupsOf: () => (username) => deps.adminGroups.groupsOf(username),
      logger: deps.logger,
    }),
    requestMetrics('UsageRequest'),
  );

/**
 * An admin HTTP API route without a body: {@link httpAdminApiMiddlewares} around the route's own step.
 * @example export const createHandler = httpAdminRoute(makeHandler);
 */
export const httpAdminRoute =
  <D extends AdminHttpDeps>(makeHandler: RouteFactory<D, HttpAdminRouteEvent>) =>
  (deps: D): HttpApiHandler =>
    lambdaHandler(httpAdminApiMiddlewares(deps), makeHandler(deps));
