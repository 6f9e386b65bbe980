import type { Logger } from '@aws-lambda-powertools/logger';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cognito, documents, eventBridge } from '../../adapters/clients';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { dynamoTenantRegistry } from '../../adapters/tenants-table';
import { eventBusNameFromEnv, once, tenantsTableNameFromEnv, userPoolIdFromEnv } from '../../config';
import { onboardTenant } from '../../domain/tenants';
import { logger } from '../../logger';
import { observedFunction, requestedTenant } from '../observed';

export interface Deps {
  cognito: CognitoIdentityProviderClient;
  eventBridge: EventBridgeClient;
  documents: DynamoDBDocumentClient;
  config: () => { userPoolId: string; eventBusName: string; tenantsTableName: string };
  logger: Logger;
}

/** Control plane: `{tenantId, name, returnPolicyDays, tier}` → registry item, tenant groups + TenantOnboarded. */
export const makeHandler = (deps: Deps) => async (event: unknown) => {
  const { userPoolId, eventBusName, tenantsTableName } = deps.config();
  return onboardTenant(
    {
      registry: dynamoTenantRegistry(deps.documents, tenantsTableName),
      directory: cognitoTenantDirectory(deps.cognito, userPoolId),
      eventBridge: deps.eventBridge,
      eventBusName,
      logger: deps.logger,
    },
    event,
  );
};

const config = once(() => ({
  userPoolId: userPoolIdFromEnv(),
  eventBusName: eventBusNameFromEnv(),
  tenantsTableName: tenantsTableNameFromEnv(),
}));

export const handler = observedFunction(makeHandler({ cognito, eventBridge, documents, config, logger }), {
  operation: 'onboardTenant',
  metric: 'TenantOnboarding',
  dimensions: requestedTenant,
});
