import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { TENANT_ATTRIBUTE } from '@tenant-assistant/tenant-context';
import { CognitoRequestError, UsernameTakenError } from '../errors';

/** The user attribute that holds a user's tenant (tenant-context's claim names). */
export { TENANT_ATTRIBUTE } from '@tenant-assistant/tenant-context';

/** A new user of the directory. */
export interface NewDirectoryUser {
  username: string;
  email: string;
  tenantId: string;
  temporaryPassword: string;
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
  /** Creates a user that must change its temporary password at first sign-in; no message is sent. */
  createUser(user: NewDirectoryUser): Promise<{ userId: string | undefined }>;
  addUserToGroup(username: string, groupName: string): Promise<void>;
  deleteUser(username: string): Promise<void>;
}

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

  async createUser({ username, email, tenantId, temporaryPassword }) {
    try {
      const { User } = await client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          TemporaryPassword: temporaryPassword,
          MessageAction: 'SUPPRESS',
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
});
