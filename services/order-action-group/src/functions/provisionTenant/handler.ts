import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import {
  type ContractEventWithTenant,
  eventTenantContext,
} from '@tenant-assistant/tenant-context/middleware';
import { once, readProvisioningConfig } from '../../config';
import { applyTenantUpdate, type ProvisioningDeps, provisionTenant } from '../../domain/provisioning';
import { logger } from '../../logger';
import { logFailures } from '../../middleware';

const dynamodb = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(dynamodb);
const config = once(readProvisioningConfig);

export const defaultDeps = (): ProvisioningDeps => ({
  dynamodb,
  documents,
  tables: config().tables,
  maxWaitSeconds: config().maxWaitSeconds,
});

/**
 * Provisions a tenant on TenantOnboarded and applies TenantUpdated to its TenantConfig (control-plane
 * bus); failures are retried, then dead-lettered.
 */
export const makeHandler =
  (deps: () => ProvisioningDeps) =>
  async (event: ContractEventWithTenant<'TenantOnboarded' | 'TenantUpdated'>) => {
    if (event['detail-type'] === 'TenantUpdated') {
      const outcome = await applyTenantUpdate(deps(), event.detail);
      logger.info('Tenant configuration updated', { ...outcome });
      return outcome;
    }
    const outcome = await provisionTenant(deps(), event.detail);
    logger.info('Tenant provisioned', { ...outcome });
    return outcome;
  };

export const handler = middy(makeHandler(defaultDeps))
  .use(injectLambdaContext(logger))
  .use(eventTenantContext({ accept: ['TenantOnboarded', 'TenantUpdated'], logger }))
  .use(logFailures({ logger, message: 'Tenant provisioning failed' }));
