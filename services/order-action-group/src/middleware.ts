import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';

export interface LogFailuresOptions {
  logger: Logger;
  /** The log message, e.g. `Tenant provisioning failed`. */
  message: string;
}

/**
 * middy middleware that logs an invocation's error (through the redacting logger, never the event)
 * and lets it propagate, so the platform's retries and dead-letter queue still apply.
 *
 * @example middy(handler).use(logFailures({ logger, message: 'Tenant provisioning failed' }))
 */
export const logFailures = (options: LogFailuresOptions): MiddlewareObj => {
  const logFailuresOnError = async (request: Request) => {
    const error: unknown = request.error;
    const code = (error as { code?: unknown } | null)?.code;
    options.logger.error(options.message, {
      error,
      ...(typeof code === 'string' ? { error_code: code } : {}),
    });
  };
  return { onError: logFailuresOnError };
};
