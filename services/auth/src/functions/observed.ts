import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type OutcomeMetricsOptions, outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { logFailures } from '@tenant-assistant/lambda-kit/middlewares';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { isTenantId } from '@tenant-assistant/tenant-context';
import { logger } from '../logger';
import { metrics, tracer } from '../observability';

/**
 * An auth function as each one runs: traced, its logs keyed to the invocation, a failure logged
 * as `operation`, and its outcome counted as the metric `metric` under `dimensions`.
 */
export const observedFunction = <E, R>(
  run: (event: E) => Promise<R>,
  options: { operation: string; metric: string; dimensions: OutcomeMetricsOptions<E>['dimensions'] },
) =>
  middy(run)
    .use(traceInvocation(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logFailures({ logger, operation: options.operation }))
    .use(outcomeMetrics<E>({ metrics, name: options.metric, dimensions: options.dimensions }));

/** The tenant a control-plane request (`{tenantId, …}`) names, when it is a tenant id. */
export const requestedTenant = (event: unknown) => {
  const { tenantId } = (event ?? {}) as { tenantId?: unknown };
  return { tenant: isTenantId(tenantId) ? tenantId : undefined };
};
