import middy from '@middy/core';
import { tokenVerifierFromEnv } from '@tenant-assistant/tenant-context/tokens';
import { cognito } from '../../adapters/clients';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { once, userPoolIdFromEnv, webOriginsFromEnv } from '../../config';
import { type AdminHttpDeps, adminApiMiddlewares, jsonResponse } from '../../http/middlewares';
import type { AdminRequest } from '../../http/routes';
import { logger } from '../../logger';

/**
 * `GET /admin/me` → `{username, tenantId, roles: {platformAdmin, tenantAdmin}}` of the caller, so
 * the web UI shows the admin area only to admins (the other routes check the roles themselves).
 */
export const makeHandler = () => async (request: AdminRequest) =>
  jsonResponse(200, {
    username: request.caller.username,
    tenantId: request.caller.tenant.tenantId,
    roles: request.caller.roles,
  });

export const createHandler = (deps: AdminHttpDeps) => middy(makeHandler()).use(adminApiMiddlewares(deps));

const config = once(() => ({ userPoolId: userPoolIdFromEnv(), webOrigins: webOriginsFromEnv() }));
const verifier = once(() => tokenVerifierFromEnv());

export const handler = createHandler({
  verifier: { verify: (token) => verifier().verify(token) },
  directory: once(() => cognitoTenantDirectory(cognito, config().userPoolId)),
  logger,
  webOrigins: () => config().webOrigins,
});
