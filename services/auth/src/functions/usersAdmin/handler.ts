import middy from '@middy/core';
import { requireTenantAdmin } from '@tenant-assistant/tenant-context/admin';
import { tokenVerifierFromEnv } from '@tenant-assistant/tenant-context/tokens';
import { cognito } from '../../adapters/clients';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { once, userPoolIdFromEnv, webOriginsFromEnv } from '../../config';
import {
  deleteTenantUser,
  getUser,
  grantRole,
  inviteTenantUser,
  listUsers,
  resendInvitation,
  resetUserMfa,
  revokeRole,
  setUserEnabled,
  type TenantUsersDeps,
} from '../../domain/tenant-users';
import { type AdminHttpDeps, adminApiMiddlewares, jsonResponse } from '../../http/middlewares';
import { type AdminRequest, dispatch, pathParameter, type Routes } from '../../http/routes';
import { logger } from '../../logger';

export type Deps = AdminHttpDeps & { users: () => TenantUsersDeps };

const username = (request: AdminRequest) => pathParameter(request, 'username');
/** The only tenant a tenant admin acts in: the one of their verified token. */
const ownTenant = (request: AdminRequest) => request.caller.tenant.tenantId;

/** Tenant admins only, always inside the tenant of their own token (no tenant in any path or body). */
const routes: Routes<Deps> = {
  'GET /admin/users': async (deps, request) =>
    jsonResponse(200, await listUsers(deps.users(), ownTenant(request), request.queryStringParameters ?? {})),
  'POST /admin/users': async (deps, request) =>
    jsonResponse(201, await inviteTenantUser(deps.users(), ownTenant(request), request.body)),
  'GET /admin/users/{username}': async (deps, request) =>
    jsonResponse(200, await getUser(deps.users(), ownTenant(request), username(request))),
  'DELETE /admin/users/{username}': async (deps, request) => {
    await deleteTenantUser(deps.users(), request.caller, username(request));
    return { statusCode: 204 };
  },
  'POST /admin/users/{username}/resend-invitation': async (deps, request) =>
    jsonResponse(200, await resendInvitation(deps.users(), ownTenant(request), username(request))),
  'POST /admin/users/{username}/disable': async (deps, request) =>
    jsonResponse(200, await setUserEnabled(deps.users(), request.caller, username(request), false)),
  'POST /admin/users/{username}/enable': async (deps, request) =>
    jsonResponse(200, await setUserEnabled(deps.users(), request.caller, username(request), true)),
  'POST /admin/users/{username}/reset-mfa': async (deps, request) =>
    jsonResponse(200, await resetUserMfa(deps.users(), ownTenant(request), username(request))),
  'POST /admin/users/{username}/roles': async (deps, request) =>
    jsonResponse(200, await grantRole(deps.users(), request.caller, username(request), request.body)),
  'DELETE /admin/users/{username}/roles/{role}': async (deps, request) =>
    jsonResponse(
      200,
      await revokeRole(deps.users(), request.caller, username(request), pathParameter(request, 'role')),
    ),
};

/** The user routes of the admin API; every one needs the tenant admin role of the caller's own tenant. */
export const makeHandler = (deps: Deps) => async (request: AdminRequest) => {
  requireTenantAdmin(request.caller);
  return dispatch(routes, deps, request);
};

export const createHandler = (deps: Deps) => middy(makeHandler(deps)).use(adminApiMiddlewares(deps));

const config = once(() => ({ userPoolId: userPoolIdFromEnv(), webOrigins: webOriginsFromEnv() }));
const verifier = once(() => tokenVerifierFromEnv());
const directory = once(() => cognitoTenantDirectory(cognito, config().userPoolId));

export const handler = createHandler({
  verifier: { verify: (token) => verifier().verify(token) },
  directory,
  logger,
  webOrigins: () => config().webOrigins,
  users: () => ({ directory: directory(), logger }),
});
