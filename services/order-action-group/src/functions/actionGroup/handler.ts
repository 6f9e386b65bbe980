import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { scopedDocumentClient } from '@tenant-assistant/tenant-context/credentials';
import { sessionAttributesTenantContext } from '@tenant-assistant/tenant-context/middleware';
import type { Context } from 'aws-lambda';
import { type ActionGroupDeps, createActionGroupResolver, resolveAction } from '../../bedrock/action-group';
import type { ActionGroupEventWithTenant, ActionGroupResponse } from '../../bedrock/envelope';
import { actionGroupFailures } from '../../bedrock/middleware';
import { once, readActionGroupConfig } from '../../config';
import { logger } from '../../logger';
import { metrics, tracer } from '../../observability';

export const defaultDeps: ActionGroupDeps = {
  config: once(readActionGroupConfig),
  documentClientFor: scopedDocumentClient,
  logger,
};

/** Bedrock action group `order-actions`: getReturnPolicy, listOrders, getOrder for the session's tenant and user. */
export const makeHandler = (deps: ActionGroupDeps) => {
  const resolver = createActionGroupResolver(deps);
  return (event: ActionGroupEventWithTenant, context: Context) => resolveAction(resolver, event, context);
};

export const handler = middy(makeHandler(defaultDeps))
  .use(traceInvocation(tracer))
  .use(injectLambdaContext(logger))
  .use(sessionAttributesTenantContext({ logger }))
  .use(actionGroupFailures({ logger }))
  .use(
    // Order lookups per tenant and function; FAILURE answers to the agent count as failed.
    outcomeMetrics<Partial<ActionGroupEventWithTenant>>({
      metrics,
      name: 'OrderLookup',
      dimensions: (event) => ({
        tenant: event.tenant?.tenantId,
        function: event.tenant ? event.function : undefined,
      }),
      outcomeOf: (response) =>
        (response as ActionGroupResponse | undefined)?.response?.functionResponse?.responseState === 'FAILURE'
          ? 'failed'
          : undefined,
    }),
  );
