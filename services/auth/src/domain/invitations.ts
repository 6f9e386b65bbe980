import type { Logger } from '@aws-lambda-powertools/logger';
import { tenantAdminGroupName, tenantGroupName } from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import type { TenantDirectory } from '../adapters/cognito';
import { UserCreationFailedError } from '../errors';
import { USERNAME_PATTERN } from './users';

/** Who to invite: a username of the pool and the email the invitation goes to. */
export const invitationInput = z.strictObject({
  username: z
    .string()
    .regex(USERNAME_PATTERN, 'must be 1-128 of [A-Za-z0-9._@+-], starting with a letter or digit'),
  email: z.email('must be an email address').max(254),
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
  try {
    for (const group of groups) await deps.directory.addUserToGroup(username, group);
  } catch (error) {
    try {
      await deps.directory.deleteUser(username);
    } catch (rollbackError) {
      deps.logger.error('Could not delete an invited user left outside its groups', {
        tenant_id: tenantId,
        username,
        error: rollbackError,
      });
    }
    throw new UserCreationFailedError(`User ${username} was not invited: joining its groups failed`, error);
  }
  deps.logger.info('Tenant user invited', {
    tenant_id: tenantId,
    user_id: userId,
    username,
    admin: options.admin,
  });
  return { username, userId, email, tenantAdmin: options.admin };
};
