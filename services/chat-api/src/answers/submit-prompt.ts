import {
  type PromptAccepted,
  type SubmitPromptBody,
  submitPromptBodySchema,
} from '@tenant-assistant/contracts/http';
import { issuesOf } from '@tenant-assistant/lambda-kit/errors';
import { MAX_PROMPT_LENGTH, newAnswerId, type TenantContext } from '@tenant-assistant/tenant-context';
import { BadRequestError, PayloadTooLargeError, PromptNotAcceptedError } from '../errors';
import type { AnswersRepository, Clock, IdGenerator, Logger, PublishEvents, RateLimiter } from '../ports';
import { answerDeadline } from './deadline';
import type { Answer } from './model';

/** Reason stored on an answer whose prompt could not be handed to the assistant (shown to the user). */
export const PUBLISH_FAILED_REASON = 'The assistant could not be reached. Please try again.';

/** Body of `POST /prompts` (the HTTP contract's). */
export const submitPromptSchema = submitPromptBodySchema;
export type SubmitPromptInput = SubmitPromptBody;

/**
 * Validates a parsed `POST /prompts` body: 400 with field details when invalid, 413 when the prompt
 * is longer than {@link MAX_PROMPT_LENGTH} characters.
 */
export const parseSubmitPrompt = (body: unknown): SubmitPromptInput => {
  const result = submitPromptSchema.safeParse(body);
  if (result.success) return result.data;
  const tooLong = result.error.issues.some((issue) => issue.code === 'too_big' && issue.path[0] === 'prompt');
  if (tooLong) {
    throw new PayloadTooLargeError(
      `prompt must be at most ${MAX_PROMPT_LENGTH} characters`,
      'PROMPT_TOO_LONG',
    );
  }
  throw new BadRequestError('The request body is invalid', {
    details: issuesOf(result.error, { root: '(body)' }),
  });
};

export interface SubmitPromptDeps {
  answers: AnswersRepository;
  rateLimiter: RateLimiter;
  publish: PublishEvents;
  clock: Clock;
  newId: IdGenerator;
  answerTtlDays: () => number;
  /** Seconds from submit to the answer's deadline (stage parameter `answerDeadlineSeconds`). */
  answerDeadlineSeconds: () => number;
  logger: Logger;
}

/**
 * Accepts a prompt for the caller: counts it against the caller's rate limit, stores a PENDING
 * answer `<sub>.<ulid>` with its deadline (conditional write, recorded in the conversation list)
 * and publishes PromptSubmitted. If publishing fails the answer is marked FAILED at once and
 * PromptNotAcceptedError (503, retry advice) is thrown, so nothing stays PENDING; a crash between
 * the two leaves a PENDING answer that its deadline ends.
 *
 * @example const { answerId, conversationId } = await submitPrompt(deps, event.tenant, { prompt: 'Where is my order?' });
 */
export const submitPrompt = async (
  deps: SubmitPromptDeps,
  tenant: TenantContext,
  input: SubmitPromptInput,
): Promise<PromptAccepted> => {
  const now = deps.clock();
  await deps.rateLimiter.consume(tenant.userId, now);

  const answerId = newAnswerId(tenant.userId, deps.newId);
  const conversationId = input.conversationId ?? deps.newId();
  const createdAt = now.toISOString();
  const answer: Answer = {
    userId: tenant.userId,
    answerId,
    tenantId: tenant.tenantId,
    conversationId,
    prompt: input.prompt,
    status: 'PENDING',
    text: '',
    chunks: {},
    createdAt,
    updatedAt: createdAt,
    deadlineAt: answerDeadline(now, deps.answerDeadlineSeconds()),
    expiresAt: Math.floor(now.getTime() / 1000) + deps.answerTtlDays() * 86_400,
  };
  await deps.answers.create(answer);

  try {
    await deps.publish([
      {
        detailType: 'PromptSubmitted',
        detail: { ...tenant, answerId, conversationId, prompt: input.prompt, submittedAt: createdAt },
      },
    ]);
  } catch (error) {
    deps.logger.error('Publishing PromptSubmitted failed, marking the answer FAILED', { answerId, error });
    try {
      await deps.answers.fail(
        { userId: tenant.userId, answerId },
        tenant.tenantId,
        PUBLISH_FAILED_REASON,
        deps.clock(),
      );
    } catch (markError) {
      deps.logger.error('Marking the answer FAILED failed too (it expires by TTL)', {
        answerId,
        error: markError,
      });
    }
    throw new PromptNotAcceptedError(answerId, error);
  }
  return { answerId, conversationId, deadlineAt: answer.deadlineAt };
};
