import {
  type PromptAccepted,
  type SubmitPromptBody,
  submitPromptBodySchema,
} from '@tenant-assistant/contracts/http';
import { issuesOf } from '@tenant-assistant/lambda-kit/errors';
import { MAX_PROMPT_LENGTH, newAnswerId, type TenantContext } from '@tenant-assistant/tenant-context';
import {
  LIMIT_CODES,
  secondsUntilNextMonth,
  type TierLimits,
  tierLimits,
  usageMonth,
} from '@tenant-assistant/tenant-context/tiers';
import { BadRequestError, LimitExceededError, PayloadTooLargeError, PromptNotAcceptedError } from '../errors';
import type {
  AnswersRepository,
  Clock,
  IdGenerator,
  Logger,
  PromptLimiter,
  PromptMetrics,
  PublishEvents,
  TenantTiers,
  UsageReader,
} from '../ports';
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
  tiers: TenantTiers;
  limiter: PromptLimiter;
  usage: UsageReader;
  metrics: PromptMetrics;
  publish: PublishEvents;
  clock: Clock;
  newId: IdGenerator;
  answerTtlDays: () => number;
  /** Seconds from submit to the answer's deadline (stage parameter `answerDeadlineSeconds`). */
  answerDeadlineSeconds: () => number;
  logger: Logger;
}

/** Refuses a prompt longer than the tier allows (413), like the contract's own limit. */
const checkPromptLength = (input: SubmitPromptInput, limits: TierLimits) => {
  if (input.prompt.length > limits.maxPromptLength) {
    throw new PayloadTooLargeError(
      `prompt must be at most ${limits.maxPromptLength} characters`,
      'PROMPT_TOO_LONG',
    );
  }
};

/** Refuses a prompt once the tenant has used its month's tokens (429 until the next month). */
const checkTokenBudget = (usedTokens: number, limits: TierLimits, now: Date) => {
  if (usedTokens >= limits.monthlyTokenBudget) {
    throw new LimitExceededError(LIMIT_CODES.tokenBudget, secondsUntilNextMonth(now));
  }
};

/**
 * Accepts a prompt for the caller, in named steps:
 * 1. look up the tenant's current tier and this month's token usage (in parallel);
 * 2. check the tier's prompt length and token budget;
 * 3. admit it: tenant and user rate and an in-flight slot, one transaction (429 + code otherwise);
 * 4. store a PENDING answer `<sub>.<ulid>` with its deadline (conditional write, recorded in the
 *    conversation list) and publish PromptSubmitted with the tier.
 * Nothing is stored before every limit passed. If storing fails the slot is freed; if publishing
 * fails the answer is marked FAILED at once, the slot freed and PromptNotAcceptedError (503, retry
 * advice) thrown, so nothing stays PENDING; a crash between the two leaves a PENDING answer that
 * its deadline ends (and its slot lapses then).
 *
 * @example const { answerId, conversationId } = await submitPrompt(deps, event.tenant, { prompt: 'Where is my order?' });
 */
export const submitPrompt = async (
  deps: SubmitPromptDeps,
  tenant: TenantContext,
  input: SubmitPromptInput,
): Promise<PromptAccepted> => {
  const now = deps.clock();
  const [tier, usedTokens] = await Promise.all([
    deps.tiers.tierOf(tenant.tenantId),
    deps.usage.monthTokens(tenant.tenantId, usageMonth(now)),
  ]);
  const limits = tierLimits(tier);
  checkPromptLength(input, limits);

  const answerId = newAnswerId(tenant.userId, deps.newId);
  try {
    checkTokenBudget(usedTokens, limits, now);
    await deps.limiter.admit({ tenantId: tenant.tenantId, userId: tenant.userId, answerId, limits, now });
  } catch (error) {
    if (error instanceof LimitExceededError) deps.metrics.throttled(tenant.tenantId, tier, error.code);
    throw error;
  }
  const release = () =>
    deps.limiter.release(tenant.tenantId, answerId).catch((error: unknown) => {
      deps.logger.error('Freeing the in-flight slot failed (it lapses by itself)', { answerId, error });
    });

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
  try {
    await deps.answers.create(answer);
  } catch (error) {
    await release();
    throw error;
  }

  try {
    await deps.publish([
      {
        detailType: 'PromptSubmitted',
        detail: { ...tenant, answerId, conversationId, prompt: input.prompt, submittedAt: createdAt, tier },
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
    await release();
    throw new PromptNotAcceptedError(answerId, error);
  }
  deps.metrics.accepted(tenant.tenantId, tier);
  return { answerId, conversationId, deadlineAt: answer.deadlineAt };
};
