import type { Routes as HttpRoutes } from '@tenant-assistant/lambda-kit/http';
import type { AdminCaller } from '@tenant-assistant/tenant-context/admin';

export { dispatchRoute as dispatch, pathParameter } from '@tenant-assistant/lambda-kit/http';

/** An admin API event after the middlewares: caller established, body parsed. */
export interface AdminRequest {
  routeKey?: string;
  caller: AdminCaller;
  body?: unknown;
  pathParameters?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
}

/** The routes of one admin function: `METHOD /path` as API Gateway's routeKey spells it. */
export type Routes<D> = HttpRoutes<D, AdminRequest>;
