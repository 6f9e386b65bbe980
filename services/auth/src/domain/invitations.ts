import type { Logger } from '@aws-lambda-powertools/logger';
import { tenantAdminGroupName, tenantGroupName } from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import type { TenantDirectory } from '../adapters/cognito';
import { UserCreationFailedError } from '../errors';
import { emailSchema, joinGroupsOrDelete, usernameSchema } from './users';

/** Who to invite: a username of the pool and the email the invitation goes to. */
export const invitationInput = z.strictObject({
  username: usernameSchema,
  email: emailSchema,
});
export type Invitation = z.output<typeof invitationInput>;

export interface InviteDeps {
  directory: TenantDirectory;
  logger: Logger;
}

/**
 * Invites a user into a tenant: Cognito creates the user (`custom:tenantId` set, email marked
 * verified) with a temporary password it generates and sends with the pool's invitation template —
 * the password is never returned or logged here. The user joins `tenant-<id>` (and `admin-<id>` for
 * an admin). If a group cannot be joined the user is deleted again, so no half-made user remains.
 */
export const inviteUser = async (
  deps: InviteDeps,
  tenantId: string,
  invitation: Invitation,
  options: { admin: boolean },
): Promise<{ username: string; userId: string | undefined; email: string; tenantAdmin: boolean }> => {
  const { username, email } = invitation;
  const { userId } = await deps.directory.createUser({ username, email, tenantId });
  const groups = [tenantGroupName(tenantId), ...(options.admin ? [tenantAdminGroupName(tenantId)] : [])];
  const failed = await joinGroupsOrDelete(deps, tenantId, username, groups);
  if (failed) {
    throw new UserCreationFailedError(
      `User ${username} was not invited: joining its groups failed`,
      failed.error,
    );
  }
  deps.logger.info('Tenant user invited', {
    tenant_id: tenantId,
    user_id: userId,
    username,
    admin: options.admin,
  });
  return { username, userId, email, tenantAdmin: options.admin };
};
