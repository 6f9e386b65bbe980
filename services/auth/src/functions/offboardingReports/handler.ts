import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type ContractEventWithTenant, eventTenantContext } from '@tenant-assistant/contracts/eventbridge';
import { OFFBOARDING_REPORTS, type OffboardingReport } from '@tenant-assistant/contracts/events';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { isTenantId } from '@tenant-assistant/tenant-context';
import { documents } from '../../adapters/clients';
import { dynamoTenantRegistry, type TenantRegistry } from '../../adapters/tenants-table';
import { once, tenantsTableNameFromEnv } from '../../config';
import { recordOffboardingStep } from '../../domain/offboarding';
import { logger } from '../../logger';
import { metrics, tracer } from '../../observability';

export interface Deps {
  registry: () => TenantRegistry;
  logger: Logger;
  now?: () => Date;
}

const REPORTS = Object.keys(OFFBOARDING_REPORTS) as OffboardingReport[];

/**
 * A service's offboarding report from the control bus (`TenantChatDataDeleted`,
 * `TenantOrderDataDeleted`): marks its part DONE with its counts; the last one leaves the tombstone.
 */
export const makeHandler = (deps: Deps) => async (event: ContractEventWithTenant<OffboardingReport>) => {
  const record = await recordOffboardingStep(
    { registry: deps.registry(), logger: deps.logger, ...(deps.now ? { now: deps.now } : {}) },
    event.detail.tenantId,
    OFFBOARDING_REPORTS[event['detail-type']],
    event.detail.deleted,
  );
  return { tenantId: event.detail.tenantId, status: record?.status };
};

const registry = once(() => dynamoTenantRegistry(documents, tenantsTableNameFromEnv()));

export const createHandler = (deps: Deps) =>
  middy(makeHandler(deps))
    .use(traceInvocation(tracer))
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(eventTenantContext({ accept: REPORTS, logger: deps.logger }))
    .use(logFailures({ logger: deps.logger, operation: 'Offboarding report' }))
    .use(
      outcomeMetrics<ContractEventWithTenant<OffboardingReport>>({
        metrics,
        name: 'OffboardingReport',
        // Each service's offboarding step as it reports it, by tenant.
        dimensions: (event) => ({
          tenant: isTenantId(event.detail?.tenantId) ? event.detail.tenantId : undefined,
          report: REPORTS.includes(event['detail-type']) ? event['detail-type'] : undefined,
        }),
      }),
    );

export const handler = createHandler({ registry, logger });
