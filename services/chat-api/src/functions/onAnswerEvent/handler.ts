import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddyfiedHandler } from '@middy/core';
import {
  type ContractEventWithTenant,
  eventTenantContext,
  parsedEventOf,
} from '@tenant-assistant/contracts/eventbridge';
import { lambdaHandler, middlewareChain } from '@tenant-assistant/lambda-kit/http';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { type RefusedEvent, refuseEvents } from '@tenant-assistant/lambda-kit/middlewares';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import type { EventBridgeEvent } from 'aws-lambda';
import {
  type AnswerEventDeps,
  type AnswerEventOutcome,
  applyAnswerEvent,
} from '../../answers/apply-answer-event';
import { defaults } from '../../defaults';
import { metrics, tracer } from '../../observability';

/** The detail-types this function consumes (from the agent-invoker only; anything else is refused). */
export const ACCEPTED_DETAIL_TYPES = ['AnswerChunk', 'AnswerCompleted', 'AnswerFailed'] as const;
export type AnswerBusEvent = ContractEventWithTenant<(typeof ACCEPTED_DETAIL_TYPES)[number]>;
export type Deps = AnswerEventDeps;

/** Applies AnswerChunk / AnswerCompleted / AnswerFailed to the answer and pushes it to the owner's connections. */
export const makeHandler = (deps: Deps) => async (event: AnswerBusEvent) => {
  const outcome = await applyAnswerEvent(deps, parsedEventOf(event));
  deps.logger.info('Answer event handled', { detailType: event['detail-type'], outcome });
  return outcome;
};

/** As EventBridge invokes it: any event (the middleware validates it against the contract). */
export type OnAnswerEventHandler = MiddyfiedHandler<
  EventBridgeEvent<string, unknown>,
  AnswerEventOutcome | RefusedEvent
>;

/**
 * A refused event (contract violation, answer not owned by its user, answer of another tenant)
 * succeeds without changing anything: retrying it can never make it valid. Refusals are logged by
 * `refuseEvents`; ownership violations also as security events by the contract middleware.
 */
export const createHandler = (deps: Deps): OnAnswerEventHandler =>
  lambdaHandler<EventBridgeEvent<string, unknown>, AnswerBusEvent, AnswerEventOutcome | RefusedEvent>(
    middlewareChain(
      traceInvocation(tracer),
      injectLambdaContext(deps.logger),
      refuseEvents({ logger: deps.logger }),
      eventTenantContext({ accept: ACCEPTED_DETAIL_TYPES, logger: deps.logger }),
      // Answer events applied (refused ones as `AnswerEventRefused`) per tenant and detail-type.
      outcomeMetrics<Partial<AnswerBusEvent>>({
        metrics,
        name: 'AnswerEvent',
        dimensions: (event) => ({
          tenant: event.tenant?.tenantId,
          event: event.tenant ? event['detail-type'] : undefined,
        }),
      }),
    ),
    makeHandler(deps),
  );

export const handler = createHandler(defaults);
