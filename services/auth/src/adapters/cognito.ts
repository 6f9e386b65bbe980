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
 * Runs one Cognito request. An SDK error whose name `outcomes` lists is an expected outcome and
 * returns its value; any other becomes a {@link CognitoRequestError} naming `operation`.
 */
const request = async <T, O = never>(
  operation: string,
  send: () => Promise<T>,
  outcomes: Readonly<Record<string, O>> = {},
): Promise<T | O> => {
  try {
    return await send();
  } catch (error) {
    const name = errorName(error);
    if (name !== undefined && Object.hasOwn(outcomes, name)) return outcomes[name] as O;
    throw new CognitoRequestError(operation, error);
  }
};

/**
 * The {@link TenantDirectory} over a Cognito user pool.
 * @example const directory = cognitoTenantDirectory(cognito, userPoolId);
 */
export const cognitoTenantDirectory = (
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): TenantDirectory => {
  const user = (username: string) => ({ UserPoolId: userPoolId, Username: username });
  const group = (groupName: string) => ({ UserPoolId: userPoolId, GroupName: groupName });
  return {
    async getGroupDescription(groupName) {
      const found = await request('GetGroup', () => client.send(new GetGroupCommand(group(groupName))), {
        ResourceNotFoundException: undefined,
      });
      return found && (found.Group?.Description ?? null);
    },

    async createGroup(groupName, description) {
      const command = new CreateGroupCommand({ ...group(groupName), Description: description });
      const created = await request('CreateGroup', () => client.send(command), {
        GroupExistsException: 'exists',
      });
      return created === 'exists' ? 'exists' : 'created';
    },

    async ensureGroup(groupName, description) {
      if ((await this.getGroupDescription(groupName)) !== undefined) return 'exists';
      return this.createGroup(groupName, description);
    },

    groupsOf: (username) =>
      request('AdminListGroupsForUser', () => cognitoGroupsOf(client, userPoolId)(username)),

    async createUser({ username, email, tenantId, temporaryPassword }) {
      try {
        const { User } = await client.send(
          new AdminCreateUserCommand({
            ...user(username),
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
        return { userId: attribute(User?.Attributes, 'sub') };
      } catch (error) {
        if (errorName(error) === 'UsernameExistsException') throw new UsernameTakenError(username, error);
        throw new CognitoRequestError('AdminCreateUser', error);
      }
    },

    async addUserToGroup(username, groupName) {
      const command = new AdminAddUserToGroupCommand({ ...user(username), GroupName: groupName });
      await request('AdminAddUserToGroup', () => client.send(command));
    },

    async deleteUser(username) {
      await request('AdminDeleteUser', () => client.send(new AdminDeleteUserCommand(user(username))));
    },

    async removeUserFromGroup(username, groupName) {
      const command = new AdminRemoveUserFromGroupCommand({ ...user(username), GroupName: groupName });
      await request('AdminRemoveUserFromGroup', () => client.send(command));
    },

    async getUser(username) {
      const found = await request(
        'AdminGetUser',
        () => client.send(new AdminGetUserCommand(user(username))),
        {
          UserNotFoundException: undefined,
        },
      );
      return found && toDirectoryUser(found);
    },

    async listUsersInGroup(groupName, { limit, nextToken }) {
      const command = new ListUsersInGroupCommand({
        ...group(groupName),
        Limit: limit,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      const page = await request('ListUsersInGroup', () => client.send(command));
      return {
        users: (page.Users ?? []).map(toDirectoryUser),
        ...(page.NextToken ? { nextToken: page.NextToken } : {}),
      };
    },

    async disableUser(username) {
      await request('AdminDisableUser', () => client.send(new AdminDisableUserCommand(user(username))));
    },

    async enableUser(username) {
      await request('AdminEnableUser', () => client.send(new AdminEnableUserCommand(user(username))));
    },

    async resendInvitation(username) {
      const command = new AdminCreateUserCommand({
        ...user(username),
        MessageAction: 'RESEND',
        DesiredDeliveryMediums: ['EMAIL'],
      });
      await request('AdminCreateUser (RESEND)', () => client.send(command));
    },

    async removeUser(username) {
      // Signed out everywhere first (refresh tokens revoked), then deleted; gone at either step is 'absent'.
      const absent = { UserNotFoundException: 'absent' } as const;
      const signedOut = await request(
        'AdminUserGlobalSignOut',
        () => client.send(new AdminUserGlobalSignOutCommand(user(username))),
        absent,
      );
      if (signedOut === 'absent') return 'absent';
      const deleted = await request(
        'AdminDeleteUser',
        () => client.send(new AdminDeleteUserCommand(user(username))),
        absent,
      );
      return deleted === 'absent' ? 'absent' : 'removed';
    },

    async deleteGroup(groupName) {
      const deleted = await request(
        'DeleteGroup',
        () => client.send(new DeleteGroupCommand(group(groupName))),
        {
          ResourceNotFoundException: 'absent',
        },
      );
      return deleted === 'absent' ? 'absent' : 'deleted';
    },

    async resetMfa(username) {
      const command = new AdminSetUserMFAPreferenceCommand({
        ...user(username),
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      });
      await request('AdminSetUserMFAPreference', () => client.send(command));
    },
  };
};
