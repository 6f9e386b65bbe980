import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoGroupsOf } from '@tenant-assistant/tenant-context/admin';
import type { AdminGroups } from '../http/middlewares';

/**
 * The {@link AdminGroups} of the user pool (its id read on first use) through tenant-context's
 * `cognitoGroupsOf` (AdminListGroupsForUser), for the admin routes.
 * @example const adminGroups = createAdminGroups(cognitoClient, config.userPoolId);
 */
export const createAdminGroups = (
  client: CognitoIdentityProviderClient,
  userPoolId: () => string,
): AdminGroups => ({
  groupsOf: (username) => cognitoGroupsOf(client, userPoolId())(username),
});
