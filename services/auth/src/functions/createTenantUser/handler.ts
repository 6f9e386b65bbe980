import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import middy from '@middy/core';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { once, type PasswordPolicy, passwordPolicyFromEnv, userPoolIdFromEnv } from '../../config';
import { generateTemporaryPassword } from '../../domain/password';
import { createTenantUser } from '../../domain/users';
import { logger } from '../../logger';

export interface Deps {
  cognito: CognitoIdentityProviderClient;
  config: () => { userPoolId: string; passwordPolicy: PasswordPolicy };
  generatePassword: (policy: PasswordPolicy) => string;
  logger: Logger;
}

/** Control plane: `{tenantId, username, email}` → a tenant user and its one-time temporary password. */
export const makeHandler = (deps: Deps) => async (event: unknown) => {
  const { userPoolId, passwordPolicy } = deps.config();
  return createTenantUser(
    {
      directory: cognitoTenantDirectory(deps.cognito, userPoolId),
      passwordPolicy,
      generatePassword: deps.generatePassword,
      logger: deps.logger,
    },
    event,
  );
};

const cognito = new CognitoIdentityProviderClient({});
const config = once(() => ({ userPoolId: userPoolIdFromEnv(), passwordPolicy: passwordPolicyFromEnv() }));

export const handler = middy(
  makeHandler({ cognito, config, generatePassword: (policy) => generateTemporaryPassword(policy), logger }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logFailures({ logger, operation: 'createTenantUser' }));
