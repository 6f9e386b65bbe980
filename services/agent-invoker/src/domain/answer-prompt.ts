import type { Logger } from '@aws-lambda-powertools/logger';
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { TenantContext } from '@tenant-assistant/tenant-context';
import type { ScopedCredentialsProvider } from '@tenant-assistant/tenant-context/credentials';
import { type EventDetail, type OutgoingEvent, putEvents } from '@tenant-assistant/tenant-context/events';
import type { MembershipVerifier } from '@tenant-assistant/tenant-context/membership';
import { EmptyAnswerError, NotATenantMemberError } from '../errors';
import { type AgentSettings, agentAnswerText, invokeAgentInput } from './agent';
import { createChunkCoalescer } from './coalescer';
import {
  describeError,
  FAILURE_REASONS,
  type FailureKind,
  failureKindOf,
  isRetryableError,
} from './failures';
import { withRetry } from './retry';

/** What answering a prompt needs from the outside world. */
export interface AnswerPorts {
  /** Whether the prompt's user belongs to its tenant, asked before anything else (tenant-context). */
  membership: Pick<MembershipVerifier, 'isMember'>;
  /** tenant-context's scoped-credentials provider (one per container: its cache lives with it). */
  credentials: Pick<ScopedCredentialsProvider, 'get'>;
  agent: BedrockAgentRuntimeClient;
  eventBridge: EventBridgeClient;
  settings: AgentSettings & { readonly eventBusName: string };
  logger: Logger;
  /** Milliseconds since epoch. */
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Chunk coalescing: at most one AnswerChunk per `intervalMs` unless `maxChars` are waiting. */
  chunking?: { intervalMs?: number; maxChars?: number };
}

/** What happened to one prompt (stored by the idempotency layer; never holds the answer text). */
export interface AnswerOutcome {
  answerId: string;
  outcome: 'completed' | 'failed';
  /** AnswerChunk events published. */
  chunks: number;
  /** Why it failed (a key of FAILURE_REASONS). */
  reason?: FailureKind;
}

/**
 * Answers one prompt: membership of the user in the tenant (refused → one AnswerFailed, nothing
 * else) → scoped credentials for (tenant, user) → InvokeAgent → coalesced
 * `AnswerChunk`s → `AnswerCompleted` with the full text (the last chunk and the completion go out
 * together, in one PutEvents call). Throttling, timeouts and 5xx are retried
 * with backoff while nothing has been published and the deadline allows; any other failure, or
 * one after chunks went out, ends in exactly one `AnswerFailed` with a safe reason. Only when even
 * that cannot be published does it throw (so the invocation is retried: a user is never left waiting).
 *
 * @example const outcome = await answerPrompt(ports, event.tenant, event.detail, { deadline });
 */
export const answerPrompt = async (
  ports: AnswerPorts,
  tenant: TenantContext,
  detail: EventDetail<'PromptSubmitted'>,
  options: { deadline: number },
): Promise<AnswerOutcome> => {
  const { logger, clock } = ports;
  const owner = { tenantId: tenant.tenantId, userId: tenant.userId, answerId: detail.answerId };
  const publish = (...events: OutgoingEvent[]) =>
    putEvents(ports.eventBridge, ports.settings.eventBusName, events);
  const startedAt = clock();
  let published = 0;

  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, options.deadline - clock()));
  try {
    // The event names the tenant; the identity provider says whether the user belongs to it.
    // No credentials are asked for, and the agent is not called, for a user of another tenant.
    if (!(await ports.membership.isMember(tenant.tenantId, tenant.userId))) throw new NotATenantMemberError();
    const credentials = await ports.credentials.get(tenant);
    const input = invokeAgentInput(ports.settings, tenant, detail, credentials, new Date(clock()));
    const { text, rest } = await withRetry(
      async () => {
        const coalescer = createChunkCoalescer({
          clock,
          ...ports.chunking,
          publish: async (seq, piece) => {
            await publish({ detailType: 'AnswerChunk', detail: { ...owner, seq, text: piece } });
            published += 1;
          },
        });
        for await (const piece of agentAnswerText(ports.agent, input, abort.signal)) {
          await coalescer.push(piece);
        }
        return { text: coalescer.text, rest: coalescer.takeRest() };
      },
      {
        isRetryable: (error) => published === 0 && isRetryableError(error),
        deadline: options.deadline,
        clock,
        sleep: ports.sleep,
        random: ports.random,
        onRetry: (error, attempt, delayMs) =>
          logger.warn('Agent call failed; retrying', {
            attempt,
            delay_ms: delayMs,
            error: describeError(error),
          }),
      },
    );
    if (text.trim() === '') throw new EmptyAnswerError();
    // The last chunk and the completion in one PutEvents call, in this order: one round trip
    // fewer before the answer is complete, and chat-api gets both at the same moment.
    await publish(...(rest ? [{ detailType: 'AnswerChunk' as const, detail: { ...owner, ...rest } }] : []), {
      detailType: 'AnswerCompleted',
      detail: { ...owner, text },
    });
    if (rest) published += 1;
    logger.info('Answer completed', {
      chunks: published,
      characters: text.length,
      duration_ms: clock() - startedAt,
    });
    return { answerId: detail.answerId, outcome: 'completed', chunks: published };
  } catch (error) {
    const reason = failureKindOf(error, { partial: published > 0 });
    logger.error('Answer failed', {
      reason,
      chunks: published,
      error: describeError(error),
      ...(error instanceof NotATenantMemberError ? { security_event: 'TENANT_MEMBERSHIP_REFUSED' } : {}),
    });
    await publish({ detailType: 'AnswerFailed', detail: { ...owner, reason: FAILURE_REASONS[reason] } });
    return { answerId: detail.answerId, outcome: 'failed', chunks: published, reason };
  } finally {
    clearTimeout(timer);
  }
};
