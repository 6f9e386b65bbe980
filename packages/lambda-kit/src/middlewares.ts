import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import { type AppError, isRefusal } from './errors';

/**
 * Logs why an invocation failed, never the event: a refusal (an exposed 4xx {@link AppError}) as a
 * warning `<operation> refused` with its code and reason, anything else as an error
 * `<operation> failed` with the error (the redacting logger masks secrets). Also usable as
 * `@middy/http-error-handler`'s `logger`.
 *
 * @example httpErrorHandler({ logger: logFailure(logger, 'Request') })
 */
export const logFailure =
  (logger: Logger, operation: string) =>
  (error: unknown): void => {
    if (isRefusal(error) && error.expose) {
      logger.warn(`${operation} refused`, { error_code: error.code, reason: error.message });
      return;
    }
    const code = (error as { code?: unknown } | null | undefined)?.code;
    logger.error(`${operation} failed`, {
      error: error ?? 'unknown error',
      ...(typeof code === 'string' ? { error_code: code } : {}),
    });
  };

export interface LogFailuresOptions {
  logger: Logger;
  /** What the function does, for the log message, e.g. `onboardTenant`. */
  operation: string;
}

/**
 * middy middleware that logs an invocation's error ({@link logFailure}) and lets it propagate
 * unchanged, so the caller sees it and the platform's retries and dead-letter queues still apply.
 *
 * @example middy(makeHandler(deps)).use(logFailures({ logger, operation: 'onboardTenant' }))
 */
export const logFailures = (options: LogFailuresOptions): MiddlewareObj => {
  const log = logFailure(options.logger, options.operation);
  const logFailuresOnError = async (request: Request) => log(request.error);
  return { onError: logFailuresOnError };
};

/** What a refused event's invocation returns by default (it succeeds, so it is not retried). */
export interface RefusedEvent {
  refused: true;
  code: string;
}

export interface RefuseEventsOptions<R> {
  logger: Logger;
  /** Which errors are refusals (default {@link isRefusal}: an AppError with a 4xx status). */
  refuses?: (error: unknown) => error is AppError;
  /** The invocation's result for a refusal (default `{ refused: true, code }`); it may act first. */
  respond?: (error: AppError, event: unknown) => R | Promise<R>;
}

/**
 * middy middleware for event consumers: an event refused by a rule (contract violation, an answer
 * not owned by its user, another tenant's answer) becomes a successful invocation that changed
 * nothing, because retrying a forged or malformed event can never make it valid. The refusal is
 * logged (code, reason, issues — never the event); every other error still fails the invocation,
 * so the platform retries it. Register it before the middleware that refuses (onError runs in
 * reverse order).
 *
 * @example middy(handler).use(refuseEvents({ logger })).use(eventTenantContext({ accept, logger }))
 */
export const refuseEvents = <R = RefusedEvent>(options: RefuseEventsOptions<R>): MiddlewareObj => {
  const refuses = options.refuses ?? isRefusal;
  const respond =
    options.respond ??
    ((error: AppError) => ({ refused: true, code: error.code }) satisfies RefusedEvent as R);
  const refuseEventsOnError = async (request: Request) => {
    const { error } = request;
    if (!refuses(error)) return;
    const issues = (error as { issues?: unknown }).issues;
    options.logger.warn('Refused an event', {
      code: error.code,
      reason: error.message,
      ...(Array.isArray(issues) && issues.length > 0 ? { issues } : {}),
    });
    request.response = await respond(error, request.event);
  };
  return { onError: refuseEventsOnError };
};
