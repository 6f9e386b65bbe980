import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import {
  type ContractEventWithTenant,
  eventTenantContext,
} from '@tenant-assistant/tenant-context/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import {
  type AnswerEvent,
  type AnswerEventDeps,
  type AnswerEventOutcome,
  applyAnswerEvent,
} from '../../answers/apply-answer-event';
import { defaults } from '../../defaults';
import { dropRefusedEvents, type RefusedEvent } from '../../events/drop-refused-events';

/** The detail-types this function consumes (from the agent-invoker only; anything else is refused). */
export const ACCEPTED_DETAIL_TYPES = ['AnswerChunk', 'AnswerCompleted', 'AnswerFailed'] as const;
export type AnswerBusEvent = ContractEventWithTenant<(typeof ACCEPTED_DETAIL_TYPES)[number]>;
export type Deps = AnswerEventDeps;

/** Applies AnswerChunk / AnswerCompleted / AnswerFailed to the answer and pushes it to the owner's connections. */
export const makeHandler = (deps: Deps) => async (event: AnswerBusEvent) => {
  const outcome = await applyAnswerEvent(deps, {
    detailType: event['detail-type'],
    detail: event.detail,
  } as AnswerEvent);
  deps.logger.info('Answer event handled', { detailType: event['detail-type'], outcome });
  return outcome;
};

/** As EventBridge invokes it: any event (the middleware validates it against the contract). */
export type OnAnswerEventHandler = MiddyfiedHandler<
  EventBridgeEvent<string, unknown>,
  AnswerEventOutcome | RefusedEvent
>;

export const createHandler = (deps: Deps): OnAnswerEventHandler =>
  middy(makeHandler(deps))
    .use(injectLambdaContext(deps.logger) as MiddlewareObj)
    .use(dropRefusedEvents(deps.logger))
    .use(
      eventTenantContext({ accept: ACCEPTED_DETAIL_TYPES, logger: deps.logger }) as MiddlewareObj,
    ) as unknown as OnAnswerEventHandler;

export const handler = createHandler(defaults);
