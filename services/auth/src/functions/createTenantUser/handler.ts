import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { isTenantId } from '@tenant-assistant/tenant-context';
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
import { metrics, tracer } from '../../observability';

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

export const handler = middy(
  makeHandler({
    cognito,
    documents,
    config,
    generatePassword: (policy) => generateTemporaryPassword(policy),
    logger,
  }),
)
  .use(traceInvocation(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logFailures({ logger, operation: 'createTenantUser' }))
  .use(
    outcomeMetrics<{ tenantId?: unknown }>({
      metrics,
      name: 'TenantUserCreation',
      dimensions: (event) => ({ tenant: isTenantId(event?.tenantId) ? event.tenantId : undefined }),
    }),
  );
