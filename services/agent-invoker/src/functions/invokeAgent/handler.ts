import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { eventTenantContext } from '@tenant-assistant/contracts/eventbridge';
import { once } from '@tenant-assistant/lambda-kit/config';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { Context } from 'aws-lambda';
import { clients } from '../../clients';
import { readConfig } from '../../config';
import type { IdempotentOutcome, PromptEvent } from '../../domain/idempotent-answer';
import { answerLogKey } from '../../middlewares/answer-log-key';
import { promptErrorHandler, type RefusedOutcome } from '../../middlewares/prompt-error-handler';
import { tracer } from '../../observability';
import { createDeps, type Deps } from './deps';

export const logger = createLogger({ serviceName: 'agent-invoker' });

/** What one invocation did with its PromptSubmitted event. */
export type InvocationResult = IdempotentOutcome | RefusedOutcome | { answerId: string; outcome: 'skipped' };

/** The container's dependencies, built on first use (configuration is read then, once). */
const defaultDeps = once((): Deps => createDeps({ config: readConfig(), clients, logger }));

export const makeHandler =
  (getDeps: () => Deps) =>
  async (event: PromptEvent, context: Context): Promise<InvocationResult> => {
    try {
      return await getDeps().answer(event, context);
    } catch (error) {
      if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
      logger.info('Duplicate delivery while the first is still being answered: skipped');
      return { answerId: event.detail.answerId, outcome: 'skipped' };
    }
  };

/** The middy chain around {@link makeHandler}; tests build it with their own dependencies. */
export const createHandler = (getDeps: () => Deps) =>
  middy(makeHandler(getDeps))
    .use(traceInvocation(tracer))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(eventTenantContext({ accept: ['PromptSubmitted'], logger }))
    .use(answerLogKey({ logger }))
    .use(promptErrorHandler({ logger, publishRefusal: (owner) => getDeps().publishRefusal(owner) }));

export const handler = createHandler(defaultDeps);
