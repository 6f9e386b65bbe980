import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type ContractEventWithTenant, eventTenantContext } from '@tenant-assistant/contracts/eventbridge';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { defaults } from '../../defaults';
import { metrics, tracer } from '../../observability';
import { deleteTenantData, type OffboardingDeps } from '../../offboarding/delete-tenant-data';

export type Deps = OffboardingDeps;

/**
 * `TenantOffboarded` from auth's control bus: deletes the tenant's answers, conversations,
 * connections (closed), rate-limit counters and usage items, then reports `TenantChatDataDeleted`.
 * Failures are retried by Lambda (a repeat finishes what is left).
 */
export const makeHandler = (deps: Deps) => async (event: ContractEventWithTenant<'TenantOffboarded'>) =>
  deleteTenantData(deps, event.detail.tenantId);

export const createHandler = (deps: Deps) =>
  middy(makeHandler(deps))
    .use(traceInvocation(tracer))
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(eventTenantContext({ accept: ['TenantOffboarded'], logger: deps.logger }))
    .use(logFailures({ logger: deps.logger, operation: 'Tenant offboarding' }))
    .use(
      outcomeMetrics<ContractEventWithTenant<'TenantOffboarded'>>({
        metrics,
        name: 'OffboardingStep',
        dimensions: (event) => ({ tenant: event.detail?.tenantId, step: 'chat-data' }),
      }),
    );

export const handler = createHandler(defaults);
