import type { AdminCaller } from '@tenant-assistant/tenant-context/admin';
import { RouteNotFoundError } from '../errors';
import type { HttpResult } from './middlewares';

/** An admin API event after the middlewares: caller established, body parsed. */
export interface AdminRequest {
  routeKey?: string;
  caller: AdminCaller;
  body?: unknown;
  pathParameters?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
}

/** A route of one admin function: `METHOD /path` as API Gateway's routeKey spells it. */
export type Routes<D> = Record<string, (deps: D, request: AdminRequest) => Promise<HttpResult>>;

/**
 * Dispatches an admin request to the route of its `routeKey`; an unknown route is 404.
 * @example export const makeHandler = (deps: Deps) => (event: AdminRequest) => dispatch(routes, deps, event);
 */
export const dispatch = <D>(routes: Routes<D>, deps: D, request: AdminRequest): Promise<HttpResult> => {
  const route = request.routeKey ? routes[request.routeKey] : undefined;
  if (!route) throw new RouteNotFoundError();
  return route(deps, request);
};

/** A path parameter (API Gateway always fills declared ones; absent means a misrouted call: 404). */
export const pathParameter = (request: AdminRequest, name: string): string => {
  const value = request.pathParameters?.[name];
  if (!value) throw new RouteNotFoundError();
  return value;
};
