import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { TENANT_ATTRIBUTE } from '@tenant-assistant/tenant-context';
import { cognitoGroupsOf } from '@tenant-assistant/tenant-context/admin';
import { CognitoRequestError, UsernameTakenError } from '../errors';

/** The user attribute that holds a user's tenant (tenant-context's claim names). */
export { TENANT_ATTRIBUTE } from '@tenant-assistant/tenant-context';

/** A new user of the directory. */
export interface NewDirectoryUser {
  username: string;
  email: string;
  tenantId: string;
  /**
   * Given: the user gets this temporary password and no message (operator bootstrap). Absent:
   * Cognito generates one and sends the pool's invitation message; nobody else ever sees it.
   */
  temporaryPassword?: string;
}

/** A user of the directory, as the admin API shows it (no secrets, no other attributes). */
export interface DirectoryUser {
  username: string;
  userId: string | undefined;
  email: string | undefined;
  /** The immutable `custom:tenantId`; `undefined` for a user without one. */
  tenantId: string | undefined;
  /** Cognito's status, e.g. `FORCE_CHANGE_PASSWORD` (invited, not signed in yet) or `CONFIRMED`. */
  status: string | undefined;
  enabled: boolean;
  createdAt: string | undefined;
}

/** A page of users and the token of the next page (absent on the last). */
export interface DirectoryUserPage {
  users: DirectoryUser[];
  nextToken?: string;
}

/**
 * The tenant directory port: the few Cognito operations the auth service needs, with SDK errors
 * translated into domain outcomes. Domain code receives it, so tests can pass a fake.
 */
export interface TenantDirectory {
  /** The group's description, `null` when it has none, `undefined` when the group does not exist. */
  getGroupDescription(groupName: string): Promise<string | null | undefined>;
  /** Creates the group; `'exists'` when a group of that name already exists (a concurrent create). */
  createGroup(groupName: string, description: string): Promise<'created' | 'exists'>;
  /**
   * Creates the group unless it exists (read first: cognito-local silently replaces an existing
   * group on CreateGroup, AWS refuses it).
   */
  ensureGroup(groupName: string, description: string): Promise<'created' | 'exists'>;
  /** The names of every group the user is in; `undefined` when there is no such user. */
  groupsOf(username: string): Promise<string[] | undefined>;
  /** Creates a user that must change its temporary password at first sign-in (see NewDirectoryUser). */
  createUser(user: NewDirectoryUser): Promise<{ userId: string | undefined }>;
  addUserToGroup(username: string, groupName: string): Promise<void>;
  removeUserFromGroup(username: string, groupName: string): Promise<void>;
  deleteUser(username: string): Promise<void>;
  /** The user, `undefined` when there is none. */
  getUser(username: string): Promise<DirectoryUser | undefined>;
  listUsersInGroup(
    groupName: string,
    options: { limit: number; nextToken?: string },
  ): Promise<DirectoryUserPage>;
  disableUser(username: string): Promise<void>;
  enableUser(username: string): Promise<void>;
  /** Sends the invitation again (Cognito generates a new temporary password and mails it). */
  resendInvitation(username: string): Promise<void>;
  /**
   * Signs the user out everywhere (refresh tokens revoked) and deletes it; `'absent'` when there is
   * no such user (already removed).
   */
  removeUser(username: string): Promise<'removed' | 'absent'>;
  /** Deletes the group (its members stay users); `'absent'` when there is none. */
  deleteGroup(groupName: string): Promise<'deleted' | 'absent'>;
  /** Turns the user's TOTP MFA off, so they enrol again (an MFA-required pool asks at next sign-in). */
  resetMfa(username: string): Promise<void>;
}

const attribute = (attributes: AttributeType[] | undefined, name: string) =>
  attributes?.find((entry) => entry.Name === name)?.Value;

const toDirectoryUser = (user: {
  Username?: string;
  Attributes?: AttributeType[];
  UserAttributes?: AttributeType[];
  UserStatus?: string;
  Enabled?: boolean;
  UserCreateDate?: Date;
}): DirectoryUser => {
  const attributes = user.Attributes ?? user.UserAttributes;
  return {
    username: user.Username ?? '',
    userId: attribute(attributes, 'sub'),
    email: attribute(attributes, 'email'),
    tenantId: attribute(attributes, TENANT_ATTRIBUTE),
    status: user.UserStatus,
    enabled: user.Enabled ?? true,
    createdAt: user.UserCreateDate ? new Date(user.UserCreateDate).toISOString() : undefined,
  };
};

const errorName = (error: unknown): string | undefined =>
  error instanceof Error ? error.name : (error as { name?: string } | undefined)?.name;

/**
 * The {@link TenantDirectory} over a Cognito user pool.
 * @example const directory = cognitoTenantDirectory(cognito, userPoolId);
 */
export const cognitoTenantDirectory = (
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): TenantDirectory => ({
  async getGroupDescription(groupName) {
    try {
      const { Group } = await client.send(
        new GetGroupCommand({ UserPoolId: userPoolId, GroupName: groupName }),
      );
      return Group?.Description ?? null;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw new CognitoRequestError('GetGroup', error);
    }
  },

  async createGroup(groupName, description) {
    try {
      await client.send(
        new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: groupName, Description: description }),
      );
      return 'created';
    } catch (error) {
      if (errorName(error) === 'GroupExistsException') return 'exists';
      throw new CognitoRequestError('CreateGroup', error);
    }
  },

  async ensureGroup(groupName, description) {
    if ((await this.getGroupDescription(groupName)) !== undefined) return 'exists';
    return this.createGroup(groupName, description);
  },

  async groupsOf(username) {
    try {
      return await cognitoGroupsOf(client, userPoolId)(username);
    } catch (error) {
      throw new CognitoRequestError('AdminListGroupsForUser', error);
    }
  },

  async createUser({ username, email, tenantId, temporaryPassword }) {
    try {
      const { User } = await client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          ...(temporaryPassword !== undefined
            ? { TemporaryPassword: temporaryPassword, MessageAction: 'SUPPRESS' as const }
            : { DesiredDeliveryMediums: ['EMAIL' as const] }),
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: TENANT_ATTRIBUTE, Value: tenantId },
          ],
        }),
      );
      return { userId: User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value };
    } catch (error) {
      if (errorName(error) === 'UsernameExistsException') throw new UsernameTakenError(username, error);
      throw new CognitoRequestError('AdminCreateUser', error);
    }
  },

  async addUserToGroup(username, groupName) {
    try {
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: groupName }),
      );
    } catch (error) {
      throw new CognitoRequestError('AdminAddUserToGroup', error);
    }
  },

  async deleteUser(username) {
    try {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
    } catch (error) {
      throw new CognitoRequestError('AdminDeleteUser', error);
    }
  },

  async removeUserFromGroup(username, groupName) {
    try {
      await client.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: userPoolId,
          Username: username,
          GroupName: groupName,
        }),
      );
    } catch (error) {
      throw new CognitoRequestError('AdminRemoveUserFromGroup', error);
    }
  },

  async getUser(username) {
    try {
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      return toDirectoryUser(user);
    } catch (error) {
      if (errorName(error) === 'UserNotFoundException') return undefined;
      throw new CognitoRequestError('AdminGetUser', error);
    }
  },

  async listUsersInGroup(groupName, { limit, nextToken }) {
    try {
      const page = await client.send(
        new ListUsersInGroupCommand({
          UserPoolId: userPoolId,
          GroupName: groupName,
          Limit: limit,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      return {
        users: (page.Users ?? []).map(toDirectoryUser),
        ...(page.NextToken ? { nextToken: page.NextToken } : {}),
      };
    } catch (error) {
      throw new CognitoRequestError('ListUsersInGroup', error);
    }
  },

  async disableUser(username) {
    try {
      await client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
    } catch (error) {
      throw new CognitoRequestError('AdminDisableUser', error);
    }
  },

  async enableUser(username) {
    try {
      await client.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: username }));
    } catch (error) {
      throw new CognitoRequestError('AdminEnableUser', error);
    }
  },

  async resendInvitation(username) {
    try {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          MessageAction: 'RESEND',
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (error) {
      throw new CognitoRequestError('AdminCreateUser (RESEND)', error);
    }
  },

  async removeUser(username) {
    const absent = async (operation: string, call: () => Promise<unknown>) => {
      try {
        await call();
        return false;
      } catch (error) {
        if (errorName(error) === 'UserNotFoundException') return true;
        throw new CognitoRequestError(operation, error);
      }
    };
    const input = { UserPoolId: userPoolId, Username: username };
    if (
      (await absent('AdminUserGlobalSignOut', () => client.send(new AdminUserGlobalSignOutCommand(input)))) ||
      (await absent('AdminDeleteUser', () => client.send(new AdminDeleteUserCommand(input))))
    ) {
      return 'absent';
    }
    return 'removed';
  },

  async deleteGroup(groupName) {
    try {
      await client.send(new DeleteGroupCommand({ UserPoolId: userPoolId, GroupName: groupName }));
      return 'deleted';
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return 'absent';
      throw new CognitoRequestError('DeleteGroup', error);
    }
  },

  async resetMfa(username) {
    try {
      await client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: userPoolId,
          Username: username,
          SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
        }),
      );
    } catch (error) {
      throw new CognitoRequestError('AdminSetUserMFAPreference', error);
    }
  },
});
