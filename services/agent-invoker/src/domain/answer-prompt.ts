import type { Logger } from '@aws-lambda-powertools/logger';
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import type { EventDetail, OutgoingEvent } from '@tenant-assistant/contracts/events';
import type { TenantContext } from '@tenant-assistant/tenant-context';
import type { ScopedCredentialsProvider } from '@tenant-assistant/tenant-context/credentials';
import type { MembershipVerifier } from '@tenant-assistant/tenant-context/membership';
import { AnswerPublishError, EmptyAnswerError, NotATenantMemberError } from '../errors';
import { type AgentSettings, agentAnswerText, invokeAgentInput, type TokenUsage } from './agent';
import { createChunkCoalescer } from './coalescer';
import {
  describeError,
  FAILURE_REASONS,
  type FailureKind,
  failureKindOf,
  isRetryableError,
} from './failures';
import type { UsageMeter } from './metering';
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
  /** Records the answer's token usage once (absent: not metered). */
  meter?: UsageMeter;
  /** Reports each answer's outcome, latency and tokens as metrics (absent: none). */
  metrics?: AnswerMetrics;
}

/** What one answer did, for metrics: no text, no user id. */
export interface AnswerReport {
  tenantId: string;
  /** The tenant's tier as the prompt was accepted (`basic` when the event names none). */
  tier: string;
  outcome: 'completed' | 'failed';
  reason?: FailureKind;
  /** From `submittedAt` to the answer's end, ms. */
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
}

/** The metrics port of {@link answerPrompt}. */
export interface AnswerMetrics {
  answered(report: AnswerReport): void;
}

/** What happened to one prompt (stored by the idempotency layer; never holds the answer text). */
export interface AnswerOutcome {
  answerId: string;
  outcome: 'completed' | 'failed';
  /** AnswerChunk events published. */
  chunks: number;
  /** Why it failed (a key of FAILURE_REASONS). */
  reason?: FailureKind;
  /** Model tokens the answer used (every attempt), as the InvokeAgent traces reported them. */
  inputTokens?: number;
  outputTokens?: number;
}

/** When answering must stop. */
export interface AnswerDeadlines {
  /** No attempt of the credentials, agent or answer calls starts after this instant (ms since epoch). */
  deadline: number;
  /**
   * Until when publishing `AnswerFailed` may still be retried (default `deadline` + 5 s): the
   * failure is the last thing the user will hear, so it gets a little more time than the answer.
   */
  failureDeadline?: number;
}

/**
 * Answers one prompt: membership of the user in the tenant (refused → one AnswerFailed, nothing
 * else) → scoped credentials for (tenant, user) → InvokeAgent → coalesced
 * `AnswerChunk`s → `AnswerCompleted` with the full text (the last chunk and the completion go out
 * together, in one PutEvents call). Every dependency call — STS through the credentials provider,
 * InvokeAgent, and each PutEvents — is retried on throttling, timeouts, network errors and 5xx
 * with backoff while the deadline allows (the agent only while nothing has been published). Any
 * other failure, or one after chunks went out, ends in exactly one `AnswerFailed` with a safe
 * reason. Only when even that cannot be published does it throw (so the invocation is retried: a
 * user is never left waiting).
 *
 * @example const outcome = await answerPrompt(ports, event.tenant, event.detail, { deadline });
 */
export const answerPrompt = async (
  ports: AnswerPorts,
  tenant: TenantContext,
  detail: EventDetail<'PromptSubmitted'>,
  options: AnswerDeadlines,
): Promise<AnswerOutcome> => {
  const { logger, clock } = ports;
  const owner = { tenantId: tenant.tenantId, userId: tenant.userId, answerId: detail.answerId };
  const startedAt = clock();
  const failureDeadline = options.failureDeadline ?? options.deadline + 5_000;
  let published = 0;
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };

  /** The same retry-within-deadline policy for every dependency call. */
  const retrying = <T>(
    call: string,
    operation: () => Promise<T>,
    settings: { deadline?: number; isRetryable?: (error: unknown) => boolean } = {},
  ) =>
    withRetry(operation, {
      isRetryable: settings.isRetryable ?? isRetryableError,
      deadline: settings.deadline ?? options.deadline,
      clock,
      sleep: ports.sleep,
      random: ports.random,
      onRetry: (error, attempt, delayMs) =>
        logger.warn('Dependency call failed; retrying', {
          call,
          attempt,
          delay_ms: delayMs,
          error: describeError(error),
        }),
    });
  const publish = (events: OutgoingEvent[], deadline = options.deadline) =>
    retrying('PutEvents', () => putEvents(ports.eventBridge, ports.settings.eventBusName, events), {
      deadline,
    });

  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, options.deadline - clock()));
  try {
    // The event names the tenant; the identity provider says whether the user belongs to it.
    // No credentials are asked for, and the agent is not called, for a user of another tenant.
    const member = await retrying('AdminGetUser', () =>
      ports.membership.isMember(tenant.tenantId, tenant.userId),
    );
    if (!member) throw new NotATenantMemberError();
    const credentials = await retrying('AssumeRole', () => ports.credentials.get(tenant));
    const input = invokeAgentInput(ports.settings, tenant, detail, credentials, new Date(clock()));
    const { text, rest } = await retrying(
      'InvokeAgent',
      async () => {
        const coalescer = createChunkCoalescer({
          clock,
          ...ports.chunking,
          publish: async (seq, piece) => {
            try {
              await publish([{ detailType: 'AnswerChunk', detail: { ...owner, seq, text: piece } }]);
            } catch (error) {
              throw new AnswerPublishError(error);
            }
            published += 1;
          },
        });
        for await (const piece of agentAnswerText(ports.agent, input, abort.signal, usage)) {
          await coalescer.push(piece);
        }
        return { text: coalescer.text, rest: coalescer.takeRest() };
      },
      {
        isRetryable: (error) =>
          published === 0 && !(error instanceof AnswerPublishError) && isRetryableError(error),
      },
    );
    if (text.trim() === '') throw new EmptyAnswerError();
    // The last chunk and the completion in one PutEvents call, in this order: one round trip
    // fewer before the answer is complete, and chat-api gets both at the same moment. A retry
    // sends both again; chat-api applies a chunk or a completion at most once.
    await publish([
      ...(rest ? [{ detailType: 'AnswerChunk' as const, detail: { ...owner, ...rest } }] : []),
      { detailType: 'AnswerCompleted', detail: { ...owner, text } },
    ]);
    if (rest) published += 1;
    logger.info('Answer completed', {
      chunks: published,
      characters: text.length,
      duration_ms: clock() - startedAt,
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
    });
    report(ports, detail, { tenantId: owner.tenantId, outcome: 'completed', ...usage });
    await meterOnce(ports, owner, usage);
    return { answerId: detail.answerId, outcome: 'completed', chunks: published, ...usage };
  } catch (error) {
    const reason = failureKindOf(error, { partial: published > 0 });
    logger.error('Answer failed', {
      reason,
      chunks: published,
      error: describeError(error),
      ...(error instanceof NotATenantMemberError ? { security_event: 'TENANT_MEMBERSHIP_REFUSED' } : {}),
    });
    await publish(
      [{ detailType: 'AnswerFailed', detail: { ...owner, reason: FAILURE_REASONS[reason] } }],
      failureDeadline,
    );
    report(ports, detail, { tenantId: owner.tenantId, outcome: 'failed', reason, ...usage });
    await meterOnce(ports, owner, usage);
    return { answerId: detail.answerId, outcome: 'failed', chunks: published, reason, ...usage };
  } finally {
    clearTimeout(timer);
  }
};

/** Reports the answer to the metrics port; a metrics failure is logged, never the answer's. */
const report = (
  ports: AnswerPorts,
  detail: EventDetail<'PromptSubmitted'>,
  outcome: Omit<AnswerReport, 'tier' | 'latencyMs'>,
) => {
  if (!ports.metrics) return;
  try {
    ports.metrics.answered({
      ...outcome,
      tier: detail.tier ?? 'basic',
      latencyMs: Math.max(0, ports.clock() - Date.parse(detail.submittedAt)),
    });
  } catch (error) {
    ports.logger.error('Reporting answer metrics failed', { error: describeError(error) });
  }
};

/**
 * Records the tokens an answer used (failed answers too: the model ran), once per answer. A
 * metering failure is logged and does not fail the answer, which was already delivered.
 */
const meterOnce = async (
  ports: AnswerPorts,
  owner: { tenantId: string; userId: string; answerId: string },
  usage: TokenUsage,
) => {
  if (!ports.meter) return;
  try {
    const counted = await ports.meter({ ...owner, ...usage, at: new Date(ports.clock()) });
    if (!counted) ports.logger.info('Usage of this answer was recorded before; not counted again');
  } catch (error) {
    ports.logger.error('Recording token usage failed', { error: describeError(error), ...usage });
  }
};
