import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { tenantIdSchema } from '@tenant-assistant/tenant-context';
import { requirePlatformAdmin } from '@tenant-assistant/tenant-context/admin';
import { tokenVerifierFromEnv } from '@tenant-assistant/tenant-context/tokens';
import { cognito, documents, eventBridge, s3 } from '../../adapters/clients';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { noTenantFiles, s3TenantFiles } from '../../adapters/tenant-files';
import { dynamoTenantRegistry } from '../../adapters/tenants-table';
import {
  eventBusNameFromEnv,
  once,
  tenantFilesBucketFromEnv,
  tenantsTableNameFromEnv,
  userPoolIdFromEnv,
  webOriginsFromEnv,
} from '../../config';
import { type OffboardingDeps, offboardTenant } from '../../domain/offboarding';
import {
  createTenant,
  getTenant,
  listTenants,
  resumeTenant,
  suspendTenant,
  type TenantLifecycleDeps,
  updateTenant,
} from '../../domain/tenants';
import { parseInput } from '../../domain/validation';
import { type AdminHttpDeps, adminApiMiddlewares, jsonResponse } from '../../http/middlewares';
import { type AdminRequest, dispatch, pathParameter, type Routes } from '../../http/routes';
import { logger } from '../../logger';

export type Deps = AdminHttpDeps & { lifecycle: () => TenantLifecycleDeps & OffboardingDeps };

const tenantIdOf = (request: AdminRequest) =>
  parseInput('request', tenantIdSchema, pathParameter(request, 'tenantId'));

/** Platform admins only: the tenants of the pool. */
const routes: Routes<Deps> = {
  'GET /admin/tenants': async (deps, request) =>
    jsonResponse(200, await listTenants(deps.lifecycle(), request.queryStringParameters ?? {})),
  'POST /admin/tenants': async (deps, request) => {
    const created = await createTenant(deps.lifecycle(), request.body);
    return jsonResponse(created.created ? 201 : 200, created);
  },
  'GET /admin/tenants/{tenantId}': async (deps, request) =>
    jsonResponse(200, await getTenant(deps.lifecycle(), tenantIdOf(request))),
  'PATCH /admin/tenants/{tenantId}': async (deps, request) =>
    jsonResponse(200, await updateTenant(deps.lifecycle(), tenantIdOf(request), request.body)),
  'POST /admin/tenants/{tenantId}/suspend': async (deps, request) =>
    jsonResponse(200, await suspendTenant(deps.lifecycle(), tenantIdOf(request))),
  'POST /admin/tenants/{tenantId}/resume': async (deps, request) =>
    jsonResponse(200, await resumeTenant(deps.lifecycle(), tenantIdOf(request))),
  'POST /admin/tenants/{tenantId}/offboard': async (deps, request) =>
    jsonResponse(
      202,
      await offboardTenant(deps.lifecycle(), request.caller.tenant, tenantIdOf(request), request.body),
    ),
};

/** The tenant routes of the admin API; every one needs the platform admin role. */
export const makeHandler = (deps: Deps) => async (request: AdminRequest) => {
  requirePlatformAdmin(request.caller);
  return dispatch(routes, deps, request);
};

export const createHandler = (deps: Deps) => middy(makeHandler(deps)).use(adminApiMiddlewares(deps));

const config = once(() => ({
  userPoolId: userPoolIdFromEnv(),
  eventBusName: eventBusNameFromEnv(),
  tenantsTableName: tenantsTableNameFromEnv(),
  tenantFilesBucket: tenantFilesBucketFromEnv(),
  webOrigins: webOriginsFromEnv(),
}));
const verifier = once(() => tokenVerifierFromEnv());
const directory = once(() => cognitoTenantDirectory(cognito, config().userPoolId));

const tenantFiles = (client: S3Client) => {
  const bucket = config().tenantFilesBucket;
  return bucket ? s3TenantFiles(client, bucket) : noTenantFiles;
};

export const defaultDeps = (clients: {
  eventBridge: EventBridgeClient;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
}): Deps => ({
  verifier: { verify: (token) => verifier().verify(token) },
  directory,
  logger,
  webOrigins: () => config().webOrigins,
  lifecycle: () => ({
    registry: dynamoTenantRegistry(clients.documents, config().tenantsTableName),
    directory: directory(),
    files: tenantFiles(clients.s3),
    eventBridge: clients.eventBridge,
    eventBusName: config().eventBusName,
    logger,
  }),
});

export const handler = createHandler(defaultDeps({ eventBridge, documents, s3 }));
