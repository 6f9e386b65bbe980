import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ContractEventWithTenant } from '@tenant-assistant/contracts/eventbridge';
import type { Context } from 'aws-lambda';
import { type AnswerOutcome, type AnswerPorts, answerPrompt } from './answer-prompt';

/** A PromptSubmitted event after tenant-context's `eventTenantContext`: detail parsed, tenant set. */
export type PromptEvent = ContractEventWithTenant<'PromptSubmitted'>;

/** What a duplicate delivery gets back: the stored outcome of the first, marked as a replay. */
export type IdempotentOutcome = AnswerOutcome & { replayed?: true };

export interface IdempotentAnswerOptions {
  ports: AnswerPorts;
  /** Where idempotency records live (Powertools DynamoDB persistence layer in production). */
  persistenceStore: BasePersistenceLayer;
  logger: Logger;
  /**
   * Time kept back from the Lambda's remaining time, so that when the agent is cut off there is
   * still time to publish AnswerFailed (with retries, the first half) and complete the
   * idempotency record (default 10 s).
   */
  deadlineMarginMs?: number;
  /** How long an answered `answerId` is remembered (default 24 h, the longest EventBridge retries). */
  expiresAfterSeconds?: number;
}

/**
 * `answerPrompt`, at most once per `detail.answerId` (Powertools idempotency):
 * - a redelivery after completion returns the stored outcome without asking the agent again;
 * - a concurrent duplicate throws IdempotencyAlreadyInProgressError (the handler skips it);
 * - if answering throws (only when not even AnswerFailed could be published) the record is
 *   deleted, so the retried invocation answers again.
 * The in-progress lock expires with the Lambda's remaining time at the start (Powertools reads it
 * from the context), so an invocation killed by a timeout never blocks its own retry.
 *
 * `makeIdempotent` is used rather than the `makeHandlerIdempotent` middy middleware: in
 * Powertools 2.35 the middleware's onError deletes the record even when its own `before` refused a
 * concurrent duplicate, releasing the lock of the invocation still running
 * (aws-powertools/powertools-lambda-typescript#5675).
 *
 * @example const answer = makeIdempotentAnswer({ ports, persistenceStore, logger });
 */
export const makeIdempotentAnswer = (
  options: IdempotentAnswerOptions,
): ((event: PromptEvent, context: Context) => Promise<IdempotentOutcome>) => {
  const {
    ports,
    persistenceStore,
    logger,
    deadlineMarginMs = 10_000,
    expiresAfterSeconds = 86_400,
  } = options;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.answerId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds,
    responseHook: (response) => {
      logger.info('Duplicate delivery: this answer was already handled; the agent is not asked again');
      return { ...(response as object), replayed: true };
    },
  });
  const answerOnce = async (event: PromptEvent, context: Context): Promise<IdempotentOutcome> => {
    const end = ports.clock() + context.getRemainingTimeInMillis();
    // AnswerFailed may still be retried during the first half of the margin; the second half is
    // for completing the idempotency record.
    return answerPrompt(ports, event.tenant, event.detail, {
      deadline: end - deadlineMarginMs,
      failureDeadline: end - deadlineMarginMs / 2,
    });
  };
  return makeIdempotent(answerOnce, { persistenceStore, config });
};
