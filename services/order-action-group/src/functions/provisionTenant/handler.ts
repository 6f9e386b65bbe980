import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { type ContractEventWithTenant, eventTenantContext } from '@tenant-assistant/contracts/eventbridge';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { tracedClient, traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { once, readProvisioningConfig } from '../../config';
import { type OffboardingDeps, offboardTenantData } from '../../domain/offboarding';
import {
  applyTenantStatus,
  applyTenantUpdate,
  type ProvisioningDeps,
  provisionTenant,
} from '../../domain/provisioning';
import { logger } from '../../logger';
import { metrics, tracer } from '../../observability';

const dynamodb = tracedClient(tracer, new DynamoDBClient({}));
const documents = DynamoDBDocumentClient.from(dynamodb);
const eventBridge = tracedClient(tracer, new EventBridgeClient({}));
const config = once(readProvisioningConfig);

export const defaultDeps = (): ProvisioningDeps & OffboardingDeps => ({
  dynamodb,
  documents,
  eventBridge,
  tables: config().tables,
  ordersTables: config().ordersTables,
  maxWaitSeconds: config().maxWaitSeconds,
  controlBusName: config().controlBusName,
});

const ACCEPTED = [
  'TenantOnboarded',
  'TenantUpdated',
  'TenantSuspended',
  'TenantResumed',
  'TenantOffboarded',
] as const;
type TenantEvent = (typeof ACCEPTED)[number];

/**
 * Provisions a tenant on TenantOnboarded, applies TenantUpdated and TenantSuspended/TenantResumed to its TenantConfig, deletes
 * its config and orders table on TenantOffboarded and reports it (control-plane bus); failures are retried, then dead-lettered.
 */
export const makeHandler =
  (deps: () => ProvisioningDeps & OffboardingDeps) => async (event: ContractEventWithTenant<TenantEvent>) => {
    if (event['detail-type'] === 'TenantOffboarded') {
      const report = await offboardTenantData(deps(), event.detail.tenantId);
      logger.info('Tenant data deleted', { ...report });
      return report;
    }
    if (event['detail-type'] === 'TenantSuspended' || event['detail-type'] === 'TenantResumed') {
      const status = event['detail-type'] === 'TenantSuspended' ? 'SUSPENDED' : 'ACTIVE';
      const outcome = await applyTenantStatus(deps(), event.detail.tenantId, status);
      logger.info('Tenant status updated', { ...outcome });
      return outcome;
    }
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
  .use(traceInvocation(tracer))
  .use(injectLambdaContext(logger))
  .use(eventTenantContext({ accept: ACCEPTED, logger }))
  .use(logFailures({ logger, operation: 'Tenant provisioning' }))
  .use(
    // Each tenant lifecycle step this service takes (provisioning, updates, offboarding) by tenant.
    outcomeMetrics<ContractEventWithTenant<TenantEvent>>({
      metrics,
      name: 'TenantLifecycleStep',
      dimensions: (event) => ({
        tenant: event.detail?.tenantId,
        event: ACCEPTED.find((type) => type === event['detail-type']),
      }),
    }),
  );
