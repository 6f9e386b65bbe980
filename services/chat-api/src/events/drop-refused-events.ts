import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import { InvalidEventError } from '@tenant-assistant/tenant-context';
import { AnswerTenantMismatchError } from '../errors';

/** What a refused event's invocation returns (it succeeds, so it is not retried). */
export interface RefusedEvent {
  refused: true;
  code: string;
}

/**
 * Turns a refused event (contract violation, answer not owned by its user, answer of another
 * tenant) into a successful invocation that changed nothing: retrying a forged or malformed event
 * can never make it valid. It is logged (without the event) here; ownership violations are also
 * logged as security events by tenant-context. Every other error still fails the invocation, so
 * Lambda retries it. Use it before `eventTenantContext` (onError runs in reverse order).
 *
 * @example middy(handler).use(dropRefusedEvents(logger)).use(eventTenantContext({ accept, logger }))
 */
export const dropRefusedEvents = (logger: Logger): MiddlewareObj => {
  const dropRefusedEventsOnError = (request: Request) => {
    const { error } = request;
    if (!(error instanceof InvalidEventError || error instanceof AnswerTenantMismatchError)) return;
    logger.warn('Refused an event', {
      code: error.code,
      reason: error.message,
      ...(error instanceof InvalidEventError && error.issues.length > 0 ? { issues: error.issues } : {}),
    });
    request.response = { refused: true, code: error.code } satisfies RefusedEvent;
  };
  return { onError: dropRefusedEventsOnError };
};
