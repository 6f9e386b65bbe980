import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import { AuthServiceError } from './errors';

export interface LogErrorsOptions {
  logger: Logger;
  /** What the function does, for the log message, e.g. `onboardTenant`. */
  operation: string;
}

/**
 * middy middleware that logs why an invocation failed and lets the error propagate unchanged (the
 * caller of a control-plane function or Cognito sees its message). Refusals (4xx) are warnings;
 * anything else is an error, logged with its cause. The logger redacts secrets.
 *
 * @example middy(makeHandler(deps)).use(logErrors({ logger, operation: 'onboardTenant' }));
 */
export const logErrors = (options: LogErrorsOptions): MiddlewareObj => {
  const logErrorsOnError = async (request: Request) => {
    const { error } = request;
    if (error instanceof AuthServiceError && error.expose) {
      options.logger.warn(`${options.operation} refused`, { error_code: error.code, reason: error.message });
    } else {
      options.logger.error(`${options.operation} failed`, error ?? 'unknown error');
    }
  };
  return { onError: logErrorsOnError };
};
