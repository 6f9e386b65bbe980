import type { Logger } from '@aws-lambda-powertools/logger';
import { TENANT_ADMIN_ROLE, type TenantUserView } from '@tenant-assistant/contracts/admin';
import { tenantAdminGroupName, tenantGroupName } from '@tenant-assistant/tenant-context';
import type { AdminCaller } from '@tenant-assistant/tenant-context/admin';
import * as z from 'zod';
import type { DirectoryUser, TenantDirectory } from '../adapters/cognito';
import {
  InvalidInputError,
  RoleNotGrantableError,
  SelfChangeRefusedError,
  UserNotFoundError,
  UserStateConflictError,
} from '../errors';
import { invitationInput, inviteUser } from './invitations';
import { USERNAME_PATTERN } from './users';
import { parseInput } from './validation';

/**
 * What a tenant admin does to the users of their tenant. The tenant is always the one of the
 * caller's verified token (`caller.tenant.tenantId`); a user of another tenant is "not found".
 */
export interface TenantUsersDeps {
  directory: TenantDirectory;
  logger: Logger;
}

/** A user as the admin API shows it (the contract's view). */
export type { TenantUserView } from '@tenant-assistant/contracts/admin';

const view = (user: DirectoryUser, tenantAdmin: boolean): TenantUserView => ({
  username: user.username,
  userId: user.userId,
  email: user.email,
  status: user.status,
  enabled: user.enabled,
  createdAt: user.createdAt,
  tenantAdmin,
});

const usernameSchema = z.string().regex(USERNAME_PATTERN, 'must be 1-128 of [A-Za-z0-9._@+-]');

/**
 * The named user, if and only if they belong to `tenantId`; otherwise UserNotFoundError (404), the
 * same answer as for a user that does not exist, so another tenant's users cannot be probed.
 */
const userOfTenant = async (
  deps: TenantUsersDeps,
  tenantId: string,
  username: string,
): Promise<DirectoryUser> => {
  const parsed = usernameSchema.safeParse(username);
  if (!parsed.success) throw new UserNotFoundError(username);
  const user = await deps.directory.getUser(parsed.data);
  if (!user || user.tenantId !== tenantId) throw new UserNotFoundError(username);
  return user;
};

const isTenantAdmin = async (deps: TenantUsersDeps, tenantId: string, username: string) =>
  ((await deps.directory.groupsOf(username)) ?? []).includes(tenantAdminGroupName(tenantId));

const refuseSelf = (caller: AdminCaller, user: DirectoryUser, action: string) => {
  if (user.username.toLowerCase() === caller.username.toLowerCase() || user.userId === caller.tenant.userId) {
    throw new SelfChangeRefusedError(action);
  }
};

/** The query of listUsers: `limit` 1–60 (default 25) and the `cursor` a previous page returned. */
export const listUsersInput = z.strictObject({
  limit: z.coerce.number().int().min(1).max(60).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

/** One page of the users of the caller's tenant. */
export const listUsers = async (deps: TenantUsersDeps, tenantId: string, query: unknown) => {
  const { limit, cursor } = parseInput('listUsers', listUsersInput, query ?? {});
  const page = await deps.directory.listUsersInGroup(tenantGroupName(tenantId), {
    limit,
    ...(cursor ? { nextToken: cursor } : {}),
  });
  const admins = new Set<string>();
  let nextToken: string | undefined;
  do {
    const adminPage = await deps.directory.listUsersInGroup(tenantAdminGroupName(tenantId), {
      limit: 60,
      ...(nextToken ? { nextToken } : {}),
    });
    for (const admin of adminPage.users) admins.add(admin.username);
    nextToken = adminPage.nextToken;
  } while (nextToken);
  return {
    // a user of the group whose attribute names another tenant is never shown (it cannot sign in anyway)
    items: page.users
      .filter((user) => user.tenantId === tenantId)
      .map((user) => view(user, admins.has(user.username))),
    ...(page.nextToken ? { nextCursor: page.nextToken } : {}),
  };
};

/** One user of the caller's tenant. */
export const getUser = async (deps: TenantUsersDeps, tenantId: string, username: string) => {
  const user = await userOfTenant(deps, tenantId, username);
  return view(user, await isTenantAdmin(deps, tenantId, user.username));
};

/** Invites a user into the caller's tenant (Cognito mails the invitation; no password is returned). */
export const inviteTenantUser = async (deps: TenantUsersDeps, tenantId: string, body: unknown) => {
  const invitation = parseInput('inviteUser', invitationInput, body);
  await inviteUser(deps, tenantId, invitation, { admin: false });
  return getUser(deps, tenantId, invitation.username);
};

/**
 * One change to a user of the tenant: finds the user (404 for anyone else's), lets `check` refuse
 * it, applies the change to the user's name and logs `done`. Returns the user as found.
 */
const changeUser = async (
  deps: TenantUsersDeps,
  tenantId: string,
  username: string,
  change: { done: string; check?: (user: DirectoryUser) => void; apply: (username: string) => Promise<void> },
) => {
  const user = await userOfTenant(deps, tenantId, username);
  change.check?.(user);
  await change.apply(user.username);
  deps.logger.info(change.done, { tenant_id: tenantId, username: user.username });
  return user;
};

/** {@link changeUser}, then the user as it is now (its view, admin flag included). */
const changeAndShowUser = async (...args: Parameters<typeof changeUser>) => {
  const user = await changeUser(...args);
  return getUser(args[0], args[1], user.username);
};

/** Sends the invitation again, to a user who has not signed in yet (409 otherwise). */
export const resendInvitation = async (deps: TenantUsersDeps, tenantId: string, username: string) => {
  return changeAndShowUser(deps, tenantId, username, {
    done: 'Invitation sent again',
    check: (found) => {
      if (found.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new UserStateConflictError(
          `User ${found.username} has already signed in; there is no invitation to resend`,
        );
      }
    },
    apply: (name) => deps.directory.resendInvitation(name),
  });
};

/** Disables (no sign-in) or enables a user of the caller's tenant; never the caller. */
export const setUserEnabled = async (
  deps: TenantUsersDeps,
  caller: AdminCaller,
  username: string,
  enabled: boolean,
) => {
  const tenantId = caller.tenant.tenantId;
  return changeAndShowUser(deps, tenantId, username, {
    done: enabled ? 'User enabled' : 'User disabled',
    check: (found) => refuseSelf(caller, found, enabled ? 'enable' : 'disable'),
    apply: (name) => (enabled ? deps.directory.enableUser(name) : deps.directory.disableUser(name)),
  });
};

/** Deletes a user of the caller's tenant; never the caller. */
export const deleteTenantUser = async (deps: TenantUsersDeps, caller: AdminCaller, username: string) => {
  await changeUser(deps, caller.tenant.tenantId, username, {
    done: 'User deleted',
    check: (found) => refuseSelf(caller, found, 'delete'),
    apply: (name) => deps.directory.deleteUser(name),
  });
};

/** Turns a user's MFA off so they enrol again at their next sign-in. */
export const resetUserMfa = async (deps: TenantUsersDeps, tenantId: string, username: string) => {
  return changeAndShowUser(deps, tenantId, username, {
    done: 'User MFA reset',
    apply: (name) => deps.directory.resetMfa(name),
  });
};

/** The body of a grant: the only grantable role is `tenant-admin`. */
export const grantInput = z.strictObject({ role: z.enum([TENANT_ADMIN_ROLE, 'platform-admin']) });

/**
 * Grants a user of the caller's tenant the tenant admin role. `platform-admin` is refused (403): no
 * API grants it, so a tenant admin cannot make anyone — themselves included — a platform admin.
 */
export const grantRole = async (
  deps: TenantUsersDeps,
  caller: AdminCaller,
  username: string,
  body: unknown,
) => {
  const { role } = parseInput('grantRole', grantInput, body);
  if (role === 'platform-admin') throw new RoleNotGrantableError();
  const tenantId = caller.tenant.tenantId;
  return changeAndShowUser(deps, tenantId, username, {
    done: 'Tenant admin granted',
    apply: (name) => deps.directory.addUserToGroup(name, tenantAdminGroupName(tenantId)),
  });
};

/** Revokes the tenant admin role of a user of the caller's tenant; never the caller's own. */
export const revokeRole = async (
  deps: TenantUsersDeps,
  caller: AdminCaller,
  username: string,
  role: string,
) => {
  if (role !== TENANT_ADMIN_ROLE) {
    throw new InvalidInputError('revokeRole', [`role: only ${TENANT_ADMIN_ROLE} can be revoked here`]);
  }
  const tenantId = caller.tenant.tenantId;
  return changeAndShowUser(deps, tenantId, username, {
    done: 'Tenant admin revoked',
    check: (found) => refuseSelf(caller, found, 'revoke the admin role of'),
    apply: (name) => deps.directory.removeUserFromGroup(name, tenantAdminGroupName(tenantId)),
  });
};
