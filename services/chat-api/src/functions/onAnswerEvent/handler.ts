import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import {
  type ContractEventWithTenant,
  eventTenantContext,
} from '@tenant-assistant/tenant-context/middleware';
import { type AnswerEvent, type AnswerEventDeps, applyAnswerEvent } from '../../answers/apply-answer-event';
import { defaults } from '../../defaults';
import { dropRefusedEvents } from '../../events/drop-refused-events';

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

export const createHandler = (deps: Deps) =>
  middy(makeHandler(deps))
    .use(injectLambdaContext(deps.logger) as MiddlewareObj)
    .use(dropRefusedEvents(deps.logger))
    .use(eventTenantContext({ accept: ACCEPTED_DETAIL_TYPES, logger: deps.logger }) as MiddlewareObj);

export const handler = createHandler(defaults);
