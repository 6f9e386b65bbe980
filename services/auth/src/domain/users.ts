import type { Logger } from '@aws-lambda-powertools/logger';
import { tenantGroupName, tenantIdSchema } from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import type { TenantDirectory } from '../adapters/cognito';
import type { TenantRegistry } from '../adapters/tenants-table';
import type { PasswordPolicy } from '../config';
import { UnknownTenantError, UserCreationFailedError } from '../errors';
import { isLive } from './tenant-record';
import { parseInput } from './validation';

/** Usernames: 1–128 of letters, digits and `._@+-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** A username of the pool (USERNAME_PATTERN). */
export const usernameSchema = z
  .string()
  .regex(USERNAME_PATTERN, 'must be 1-128 of [A-Za-z0-9._@+-], starting with a letter or digit');

/** The email a user's messages go to. */
export const emailSchema = z.email('must be an email address').max(254);

/**
 * Puts a user just created into its groups. When one cannot be joined the user is deleted again,
 * so no half-made user remains; a failed deletion is logged. Returns `undefined` when every group
 * was joined, else why not and whether the user is gone.
 */
export const joinGroupsOrDelete = async (
  deps: { directory: TenantDirectory; logger: Logger },
  tenantId: string,
  username: string,
  groups: readonly string[],
): Promise<{ error: unknown; deleted: boolean } | undefined> => {
  try {
    for (const group of groups) await deps.directory.addUserToGroup(username, group);
    return undefined;
  } catch (error) {
    try {
      await deps.directory.deleteUser(username);
      return { error, deleted: true };
    } catch (rollbackError) {
      deps.logger.error('Could not delete a new user left outside its groups', {
        tenant_id: tenantId,
        username,
        error: rollbackError,
      });
      return { error, deleted: false };
    }
  }
};

/** The input of createTenantUser; unknown keys are refused. */
export const createTenantUserInput = z.strictObject({
  tenantId: tenantIdSchema,
  username: usernameSchema,
  email: emailSchema,
});

export interface CreateTenantUserDeps {
  directory: TenantDirectory;
  registry: Pick<TenantRegistry, 'get'>;
  passwordPolicy: PasswordPolicy;
  /** Generates a temporary password that satisfies the policy. */
  generatePassword: (policy: PasswordPolicy) => string;
  logger: Logger;
}

export interface CreateTenantUserResult {
  tenantId: string;
  username: string;
  /** The user's `sub`, when Cognito returned it. */
  userId: string | undefined;
  email: string;
  groupName: string;
  /** Shown only here, once: it is not stored or sent anywhere else. */
  temporaryPassword: string;
  temporaryPasswordValidityDays: number;
  /** Always true: Cognito asks for a new password (NEW_PASSWORD_REQUIRED) at first sign-in. */
  mustChangePassword: true;
}

/**
 * Creates a user of an onboarded tenant: `custom:tenantId` set (immutable), email marked verified
 * (the administrator vouches for it; it is the recovery channel), a policy-compliant temporary
 * password that must be changed at first sign-in (no invitation message is sent: the password is
 * returned once), and membership of the group `tenant-<tenantId>`. If the user cannot be added to
 * its group it is deleted again, so no half-made user remains. Throws InvalidInputError,
 * UnknownTenantError, UsernameTakenError or UserCreationFailedError.
 *
 * @example const { temporaryPassword } = await createTenantUser(deps, { tenantId: 'acme', username: 'ann', email: 'ann@acme.test' });
 */
export const createTenantUser = async (
  deps: CreateTenantUserDeps,
  input: unknown,
): Promise<CreateTenantUserResult> => {
  const { tenantId, username, email } = parseInput('createTenantUser', createTenantUserInput, input);
  const groupName = tenantGroupName(tenantId);
  const tenant = await deps.registry.get(tenantId);
  if (!tenant || !isLive(tenant)) {
    throw new UnknownTenantError(tenantId);
  }

  const temporaryPassword = deps.generatePassword(deps.passwordPolicy);
  const { userId } = await deps.directory.createUser({ username, email, tenantId, temporaryPassword });
  const failed = await joinGroupsOrDelete(deps, tenantId, username, [groupName]);
  if (failed) {
    throw new UserCreationFailedError(
      failed.deleted
        ? `User ${username} was not created: adding it to ${groupName} failed (it was deleted again)`
        : `User ${username} was created but could not be added to ${groupName}, and deleting it failed: delete it by hand`,
      failed.error,
    );
  }

  deps.logger.info('Tenant user created', { tenant_id: tenantId, user_id: userId, username });
  return {
    tenantId,
    username,
    userId,
    email,
    groupName,
    temporaryPassword,
    temporaryPasswordValidityDays: deps.passwordPolicy.temporaryPasswordValidityDays,
    mustChangePassword: true,
  };
};
