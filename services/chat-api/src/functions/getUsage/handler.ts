import { dispatchRoute, type Routes } from '@tenant-assistant/lambda-kit/http';
import { requirePlatformAdmin, requireTenantAdmin } from '@tenant-assistant/tenant-context/admin';
import { defaults } from '../../defaults';
import {
  type AdminHttpDeps,
  type HttpAdminRouteEvent,
  httpAdminRoute,
  jsonResponse,
} from '../../http/middlewares';
import {
  parseTenantsUsageQuery,
  parseUsageQuery,
  tenantIdFromPath,
  tenantsUsage,
  tenantUsage,
  type UsageReportDeps,
} from '../../usage/usage-report';

export type GetUsageEvent = HttpAdminRouteEvent;
export type Deps = UsageReportDeps & AdminHttpDeps;

/**
 * The usage API's routes, by API Gateway's routeKey. Each authorizes first (a caller without the
 * role learns nothing, not even that the query was bad), then parses, then makes one call.
 */
const routes: Routes<Deps, GetUsageEvent> = {
  /** The caller's own tenant: its tenant admins, and platform admins (for the tenant of their token). */
  'GET /usage': async (deps, { caller, queryStringParameters }) => {
    if (!caller.roles.platformAdmin) requireTenantAdmin(caller);
    const query = parseUsageQuery(queryStringParameters);
    return jsonResponse(200, await tenantUsage(deps, caller.tenant.tenantId, query));
  },
  /** Every tenant's month, one page at a time: platform admins only. */
  'GET /usage/tenants': async (deps, { caller, queryStringParameters }) => {
    requirePlatformAdmin(caller);
    return jsonResponse(200, await tenantsUsage(deps, parseTenantsUsageQuery(queryStringParameters)));
  },
  /** Any tenant's month in detail: platform admins only. */
  'GET /usage/tenants/{tenantId}': async (deps, { caller, pathParameters, queryStringParameters }) => {
    requirePlatformAdmin(caller);
    const tenantId = tenantIdFromPath(pathParameters?.tenantId ?? '');
    return jsonResponse(200, await tenantUsage(deps, tenantId, parseUsageQuery(queryStringParameters)));
  },
};

/** `GET /usage`, `GET /usage/tenants`, `GET /usage/tenants/{tenantId}` → token usage for admins. */
export const makeHandler = (deps: Deps) => (event: GetUsageEvent) => dispatchRoute(routes, deps, event);

export const createHandler = httpAdminRoute(makeHandler);

export const handler = createHandler(defaults);
