import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { addTenantClaims, type PreTokenGenerationEvent } from '../../domain/claims';
import { logger } from '../../logger';

export interface Deps {
  logger: Logger;
}

/**
 * Cognito pre-token-generation trigger: adds `tenantId` (and `tenantRole`) to the ID and access
 * tokens, or refuses the sign-in of a user without a valid tenant with a clear message.
 */
export const makeHandler = (deps: Deps) => async (event: PreTokenGenerationEvent) => {
  const result = addTenantClaims(event);
  deps.logger.info('Tenant claims added', {
    tenant_id: event.request?.userAttributes?.['custom:tenantId'],
    trigger_source: event.triggerSource,
    event_version: event.version,
  });
  return result;
};

export const handler = middy(makeHandler({ logger }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logFailures({ logger, operation: 'preTokenGeneration' }));
