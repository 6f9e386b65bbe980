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

/** The input of createTenantUser; unknown keys are refused. */
export const createTenantUserInput = z.strictObject({
  tenantId: tenantIdSchema,
  username: z
    .string()
    .regex(USERNAME_PATTERN, 'must be 1-128 of [A-Za-z0-9._@+-], starting with a letter or digit'),
  email: z.email('must be an email address').max(254),
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
  try {
    await deps.directory.addUserToGroup(username, groupName);
  } catch (error) {
    try {
      await deps.directory.deleteUser(username);
    } catch (rollbackError) {
      deps.logger.error('Could not delete a user left outside its tenant group', {
        tenant_id: tenantId,
        username,
        error: rollbackError,
      });
      throw new UserCreationFailedError(
        `User ${username} was created but could not be added to ${groupName}, and deleting it failed: delete it by hand`,
        error,
      );
    }
    throw new UserCreationFailedError(
      `User ${username} was not created: adding it to ${groupName} failed (it was deleted again)`,
      error,
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
