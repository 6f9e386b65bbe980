import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';

/** The log key that names the answer being produced. */
export const ANSWER_LOG_KEY = 'answer_id';

export interface AnswerLogKeyOptions {
  logger: Logger;
}

/**
 * Appends `answer_id` (from the already validated `event.detail.answerId`) to every log line of the
 * invocation and removes it afterwards, error or not, so it never leaks into the next invocation of
 * a warm container. Use it after tenant-context's `eventTenantContext`.
 *
 * @example middy(handler).use(eventTenantContext({ accept, logger })).use(answerLogKey({ logger }));
 */
export const answerLogKey = <E extends { detail: { answerId: string } }>(
  options: AnswerLogKeyOptions,
): MiddlewareObj<E> => {
  const { logger } = options;
  const answerLogKeyBefore = async (request: Request<E>) => {
    logger.appendKeys({ [ANSWER_LOG_KEY]: request.event.detail.answerId });
  };
  const answerLogKeyAfter = async () => logger.removeKeys([ANSWER_LOG_KEY]);
  const answerLogKeyOnError = async () => logger.removeKeys([ANSWER_LOG_KEY]);
  return { before: answerLogKeyBefore, after: answerLogKeyAfter, onError: answerLogKeyOnError };
};
