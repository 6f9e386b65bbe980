import type { Logger } from '@aws-lambda-powertools/logger';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cognito, documents } from '../../adapters/clients';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { dynamoTenantRegistry } from '../../adapters/tenants-table';
import {
  once,
  type PasswordPolicy,
  passwordPolicyFromEnv,
  tenantsTableNameFromEnv,
  userPoolIdFromEnv,
} from '../../config';
import { generateTemporaryPassword } from '../../domain/password';
import { createTenantUser } from '../../domain/users';
import { logger } from '../../logger';
import { observedFunction, requestedTenant } from '../observed';

export interface Deps {
  cognito: CognitoIdentityProviderClient;
  documents: DynamoDBDocumentClient;
  config: () => { userPoolId: string; passwordPolicy: PasswordPolicy; tenantsTableName: string };
  generatePassword: (policy: PasswordPolicy) => string;
  logger: Logger;
}

/** Control plane: `{tenantId, username, email}` → a tenant user and its one-time temporary password. */
export const makeHandler = (deps: Deps) => async (event: unknown) => {
  const { userPoolId, passwordPolicy, tenantsTableName } = deps.config();
  return createTenantUser(
    {
      directory: cognitoTenantDirectory(deps.cognito, userPoolId),
      registry: dynamoTenantRegistry(deps.documents, tenantsTableName),
      passwordPolicy,
      generatePassword: deps.generatePassword,
      logger: deps.logger,
    },
    event,
  );
};

const config = once(() => ({
  userPoolId: userPoolIdFromEnv(),
  passwordPolicy: passwordPolicyFromEnv(),
  tenantsTableName: tenantsTableNameFromEnv(),
}));

export const handler = observedFunction(
  makeHandler({
    cognito,
    documents,
    config,
    generatePassword: (policy) => generateTemporaryPassword(policy),
    logger,
  }),
  {
    operation: 'createTenantUser',
    metric: 'TenantUserCreation',
    dimensions: requestedTenant,
  },
);
