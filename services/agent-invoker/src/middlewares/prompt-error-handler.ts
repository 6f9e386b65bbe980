import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import { type AnswerOwner, answerOwnerOf } from '@tenant-assistant/contracts/events';
import { AnswerOwnershipError, InvalidEventError } from '@tenant-assistant/tenant-context';
import { describeError } from '../domain/failures';

/** Whose answer a refused event was meant to produce. */
export type { AnswerOwner };

/** What the handler returns for an event it refuses instead of answering. */
export interface RefusedOutcome {
  outcome: 'refused';
  answerId?: string;
}

export interface PromptErrorHandlerOptions {
  logger: Logger;
  /** Publishes AnswerFailed (invalid request) so the owner of a refused prompt is not left waiting. */
  publishRefusal: (owner: AnswerOwner) => Promise<void>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * The owner of a PromptSubmitted event from chat-api whose detail failed validation, when its
 * tenant, user and answer id are themselves valid and the answer belongs to the user; else undefined.
 */
export const refusedAnswerOwner = (event: unknown): AnswerOwner | undefined =>
  answerOwnerOf(event, ['PromptSubmitted']);

/**
 * The error middleware of the EventBridge consumer (register it LAST so its onError runs first,
 * while the tenant log keys are still set).
 * - An event refused by the contract (InvalidEventError) is not retried — it can never succeed.
 *   When its owner is known and valid, AnswerFailed is published so the user is not left waiting.
 *   An answer not owned by its user (a security event, logged by tenant-context) gets nothing.
 * - Any other error is logged with safe fields only and rethrown, so Lambda retries the event.
 *
 * @example middy(handler).use(eventTenantContext(…)).use(promptErrorHandler({ logger, publishRefusal }));
 */
export const promptErrorHandler = <E>(options: PromptErrorHandlerOptions): MiddlewareObj<E, unknown> => {
  const { logger } = options;
  const promptErrorHandlerOnError = async (request: Request<E, unknown>) => {
    const { error } = request;
    if (!(error instanceof InvalidEventError)) {
      logger.error('Prompt handling failed; the event will be retried', { error: describeError(error) });
      return;
    }
    const event: unknown = request.event;
    const owner = error instanceof AnswerOwnershipError ? undefined : refusedAnswerOwner(event);
    logger.warn('Refused an event that does not satisfy the PromptSubmitted contract', {
      issues: error.issues,
      detail_type: isRecord(event) ? event['detail-type'] : undefined,
      source: isRecord(event) ? event.source : undefined,
      ...(owner ? { tenant_id: owner.tenantId, user_id: owner.userId, answer_id: owner.answerId } : {}),
    });
    if (owner) {
      try {
        await options.publishRefusal(owner);
      } catch (publishError) {
        logger.error('Could not publish AnswerFailed for a refused prompt; the event will be retried', {
          tenant_id: owner.tenantId,
          user_id: owner.userId,
          answer_id: owner.answerId,
          error: describeError(publishError),
        });
        throw publishError;
      }
    }
    const response: RefusedOutcome = { outcome: 'refused', ...(owner ? { answerId: owner.answerId } : {}) };
    request.response = response;
  };
  return { onError: promptErrorHandlerOnError };
};
