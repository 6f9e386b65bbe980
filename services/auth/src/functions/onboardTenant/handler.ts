import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { cognitoTenantDirectory } from '../../adapters/cognito';
import { eventBusNameFromEnv, once, userPoolIdFromEnv } from '../../config';
import { onboardTenant } from '../../domain/tenants';
import { logger } from '../../logger';

export interface Deps {
  cognito: CognitoIdentityProviderClient;
  eventBridge: EventBridgeClient;
  config: () => { userPoolId: string; eventBusName: string };
  logger: Logger;
}

/** Control plane: `{tenantId, name, returnPolicyDays, tier}` → tenant group + TenantOnboarded. */
export const makeHandler = (deps: Deps) => async (event: unknown) => {
  const { userPoolId, eventBusName } = deps.config();
  return onboardTenant(
    {
      directory: cognitoTenantDirectory(deps.cognito, userPoolId),
      eventBridge: deps.eventBridge,
      eventBusName,
      logger: deps.logger,
    },
    event,
  );
};

const cognito = new CognitoIdentityProviderClient({});
const eventBridge = new EventBridgeClient({});
const config = once(() => ({ userPoolId: userPoolIdFromEnv(), eventBusName: eventBusNameFromEnv() }));

export const handler = middy(makeHandler({ cognito, eventBridge, config, logger }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logFailures({ logger, operation: 'onboardTenant' }));
