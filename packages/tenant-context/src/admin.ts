import type { Logger } from '@aws-lambda-powertools/logger';
import {
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MiddlewareObj, Request } from '@middy/core';
import { AdminRoleRequiredError, UnauthorizedError } from './errors';
import type { TenantContext } from './identity';
import { appendTenantKeys, removeTenantKeys } from './logger';
import { type AdminRoles, adminRolesOf } from './roles';
import { bearerToken, type TokenVerifier } from './tokens';

/**
 * Admin callers: one home for who may call an admin route (auth's admin API, chat-api's usage API).
 * The roles come from the verified token's tenant and the user's groups as the identity provider
 * holds them now — never from the request.
 */

/** Who calls an admin route: established from the verified token and the directory, never the request. */
export interface AdminCaller {
  readonly tenant: TenantContext;
  readonly username: string;
  readonly roles: AdminRoles;
}

/** An admin route's event after {@link httpAdminContext}. */
export type WithAdminCaller<E> = E & { caller: AdminCaller };

/** The names of every group the user is in; `undefined` when there is no such user. */
export type GroupsOf = (username: string) => Promise<string[] | undefined>;

/** The parts of an HTTP API (v2) event this middleware reads. */
export interface AdminHttpEvent {
  headers?: Record<string, string | undefined> | null;
  requestContext?: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } | null };
}

export interface HttpAdminContextOptions {
  verifier: TokenVerifier;
  /** Where the groups are read from, on every request (a revoked role takes effect at once). */
  groupsOf: () => GroupsOf;
  /** Receives `tenant_id` / `user_id` for the invocation (removed after it, error or not). */
  logger?: Logger;
}

const authorizationHeader = (headers: AdminHttpEvent['headers']): string | undefined =>
  Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];

/**
 * middy middleware of admin routes: verifies the Bearer token in code (401 when missing, forged or
 * expired; 403 when it carries no tenant), then reads the caller's groups and sets `event.caller` =
 * {tenant of the token, username, roles}. A user that no longer exists is 401. Routes then check the
 * role they need ({@link requirePlatformAdmin}, {@link requireTenantAdmin}) and a tenant admin acts
 * only inside `caller.tenant`.
 *
 * @example middy(handler).use(httpAdminContext({ verifier, groupsOf: () => cognitoGroupsOf(client, poolId), logger }))
 */
export const httpAdminContext = <E extends AdminHttpEvent = AdminHttpEvent>(
  options: HttpAdminContextOptions,
): MiddlewareObj<WithAdminCaller<E>> => {
  const { logger } = options;
  const httpAdminContextBefore = async (request: Request<WithAdminCaller<E>>) => {
    if (logger) removeTenantKeys(logger);
    const { event } = request;
    const token = bearerToken(authorizationHeader(event.headers));
    if (!token) throw new UnauthorizedError('Missing bearer token');
    const { claims, tenant } = await options.verifier.verify(token);
    const authorizerSub = event.requestContext?.authorizer?.jwt?.claims?.sub;
    if (authorizerSub !== undefined && authorizerSub !== claims.sub) {
      throw new UnauthorizedError('Token does not match the authorizer');
    }
    const username = claims['cognito:username'] ?? claims.username;
    if (typeof username !== 'string' || username === '') throw new UnauthorizedError('Token names no user');
    const groups = await options.groupsOf()(username);
    if (!groups) throw new UnauthorizedError('The signed-in user no longer exists');
    event.caller = Object.freeze({ tenant, username, roles: adminRolesOf(tenant.tenantId, groups) });
    if (logger) appendTenantKeys(logger, tenant);
  };
  const httpAdminContextAfter = async () => {
    if (logger) removeTenantKeys(logger);
  };
  const httpAdminContextOnError = async () => {
    if (logger) removeTenantKeys(logger);
  };
  return { before: httpAdminContextBefore, after: httpAdminContextAfter, onError: httpAdminContextOnError };
};

const errorName = (error: unknown): string | undefined => (error as { name?: string } | null)?.name;

/**
 * A {@link GroupsOf} on a Cognito user pool (`AdminListGroupsForUser`, every page); `undefined` for
 * a user that does not exist, any other SDK error is thrown as it is. Needs
 * `cognito-idp:AdminListGroupsForUser` on the pool.
 *
 * @example const groupsOf = cognitoGroupsOf(new CognitoIdentityProviderClient({}), poolId);
 */
export const cognitoGroupsOf =
  (client: CognitoIdentityProviderClient, userPoolId: string): GroupsOf =>
  async (username) => {
    const groups: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await client.send(
          new AdminListGroupsForUserCommand({
            UserPoolId: userPoolId,
            Username: username,
            Limit: 60,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        for (const group of page.Groups ?? []) if (group.GroupName) groups.push(group.GroupName);
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      if (errorName(error) === 'UserNotFoundException') return undefined;
      throw error;
    }
    return groups;
  };

/** Refuses (403) a caller who is not a platform admin. */
export const requirePlatformAdmin = (caller: AdminCaller): void => {
  if (!caller.roles.platformAdmin) throw new AdminRoleRequiredError('platform admin');
};

/**
 * Refuses (403) a caller who is not an admin of the tenant of their own token; returns that tenant,
 * the only one a tenant admin ever acts in.
 */
export const requireTenantAdmin = (caller: AdminCaller): string => {
  if (!caller.roles.tenantAdmin) throw new AdminRoleRequiredError('tenant admin');
  return caller.tenant.tenantId;
};
