import type { MiddlewareObj, Request } from '@middy/core';
import {
  type AdminRoles,
  adminRolesOf,
  type TenantContext,
  UnauthorizedError,
} from '@tenant-assistant/tenant-context';
import { bearerToken, type TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import type { TenantDirectory } from '../adapters/cognito';

/** Who calls the admin API: established from the verified token and the directory, never the request. */
export interface AdminCaller {
  readonly tenant: TenantContext;
  readonly username: string;
  readonly roles: AdminRoles;
}

/** An admin API event after {@link httpAdminContext}. */
export type WithAdminCaller<E> = E & { caller: AdminCaller };

interface AdminEvent {
  headers?: Record<string, string | undefined> | null;
  requestContext?: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } | null };
}

export interface HttpAdminContextOptions {
  verifier: TokenVerifier;
  /** The directory the roles are read from, on every request (a revoked role takes effect at once). */
  directory: () => Pick<TenantDirectory, 'groupsOf'>;
}

/**
 * middy middleware of the admin API: verifies the Bearer token in code (401 when missing, forged or
 * expired; 403 when it carries no tenant), then reads the caller's groups from Cognito and sets
 * `event.caller` = {tenant of the token, username, roles}. A user that no longer exists is 401.
 * Routes then check the role they need and act only inside `caller.tenant` (tenant admins).
 *
 * @example middy(handler).use(httpAdminContext({ verifier, directory }))
 */
export const httpAdminContext = (
  options: HttpAdminContextOptions,
): MiddlewareObj<WithAdminCaller<AdminEvent>> => {
  const httpAdminContextBefore = async (request: Request<WithAdminCaller<AdminEvent>>) => {
    const { event } = request;
    const header = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'authorization',
    );
    const token = bearerToken(header?.[1]);
    if (!token) throw new UnauthorizedError('Missing bearer token');
    const { claims, tenant } = await options.verifier.verify(token);
    const authorizerSub = event.requestContext?.authorizer?.jwt?.claims?.sub;
    if (authorizerSub !== undefined && authorizerSub !== claims.sub) {
      throw new UnauthorizedError('Token does not match the authorizer');
    }
    const username = claims['cognito:username'] ?? claims.username;
    if (typeof username !== 'string' || username === '') throw new UnauthorizedError('Token names no user');
    const groups = await options.directory().groupsOf(username);
    if (!groups) throw new UnauthorizedError('The signed-in user no longer exists');
    event.caller = Object.freeze({ tenant, username, roles: adminRolesOf(tenant.tenantId, groups) });
  };
  return { before: httpAdminContextBefore };
};
