import {
  type BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { EventDetail } from '@tenant-assistant/contracts/events';
import type { TenantContext } from '@tenant-assistant/tenant-context';
import { type ScopedCredentials, toSessionAttributes } from '@tenant-assistant/tenant-context/credentials';
import { type AgentAlias, type TenantTier, tierLimits } from '@tenant-assistant/tenant-context/tiers';
import { DeadlineExceededError, UnexpectedAgentResponseError } from '../errors';

/** Which agent to ask and how. */
export interface AgentSettings {
  readonly agentId: string;
  /** The alias that answers when the tier's alias has no id of its own. */
  readonly agentAliasId: string;
  /** Alias id per tier alias (tenant-context tiers' `agentAlias`), e.g. a larger model for premium. */
  readonly agentAliasIds?: Readonly<Partial<Record<AgentAlias, string>>>;
  readonly streamFinalResponse: boolean;
}

/**
 * The alias id that serves a tenant of `tier` (a prompt without a tier is served as basic).
 * @example agentAliasIdFor({ agentAliasId: 'A', agentAliasIds: { premium: 'P' } } as AgentSettings, 'premium') // 'P'
 */
export const agentAliasIdFor = (settings: AgentSettings, tier: TenantTier | undefined): string =>
  settings.agentAliasIds?.[tierLimits(tier ?? 'basic').agentAlias] ?? settings.agentAliasId;

/** Model tokens one InvokeAgent call used, summed over every model invocation its trace reports. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Adds the usage of one trace event to `usage`: Bedrock reports it per model invocation as
 * `<step>Trace.modelInvocationOutput.metadata.usage {inputTokens, outputTokens}` (pre-processing,
 * orchestration, post-processing, routing classifier). Anything else is ignored.
 */
export const addTraceUsage = (usage: TokenUsage, trace: unknown): void => {
  const steps = isRecord(trace) && isRecord(trace.trace) ? Object.values(trace.trace) : [];
  for (const step of steps) {
    const output = isRecord(step) ? step.modelInvocationOutput : undefined;
    const counts = isRecord(output) && isRecord(output.metadata) ? output.metadata.usage : undefined;
    if (!isRecord(counts)) continue;
    const { inputTokens, outputTokens } = counts;
    if (typeof inputTokens === 'number' && Number.isFinite(inputTokens) && inputTokens > 0)
      usage.inputTokens += Math.floor(inputTokens);
    if (typeof outputTokens === 'number' && Number.isFinite(outputTokens) && outputTokens > 0)
      usage.outputTokens += Math.floor(outputTokens);
  }
};

/**
 * The Bedrock session of a conversation: `<sub>.<conversationId>`. The owner is part of the id,
 * so a conversation keeps its memory and no two users ever share a session (at most 100 chars:
 * a sub is 36, conversation ids at most 63).
 */
export const agentSessionId = (tenant: TenantContext, conversationId: string): string =>
  `${tenant.userId}.${conversationId}`;

/**
 * The exact InvokeAgent request for a prompt. Identity and scoped credentials go ONLY into
 * `sessionState.sessionAttributes` (the action group reads them, the model never sees them);
 * `promptSessionAttributes` (which the model sees) carries only today's date; `inputText` is the
 * prompt and nothing else.
 *
 * @example const input = invokeAgentInput(settings, tenant, detail, credentials, new Date());
 */
export const invokeAgentInput = (
  settings: AgentSettings,
  tenant: TenantContext,
  detail: EventDetail<'PromptSubmitted'>,
  credentials: ScopedCredentials,
  now: Date,
): InvokeAgentCommandInput => ({
  agentId: settings.agentId,
  agentAliasId: agentAliasIdFor(settings, detail.tier),
  sessionId: agentSessionId(tenant, detail.conversationId),
  inputText: detail.prompt,
  // The trace carries the model's token usage (metering); it is read for that only, never logged.
  enableTrace: true,
  sessionState: {
    sessionAttributes: toSessionAttributes(tenant, credentials),
    promptSessionAttributes: { currentDate: now.toISOString().slice(0, 10) },
  },
  streamingConfigurations: { streamFinalResponse: settings.streamFinalResponse },
});

/** Rejects with DeadlineExceededError as soon as `signal` aborts. */
const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> => {
  if (signal.aborted) return Promise.reject(new DeadlineExceededError());
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DeadlineExceededError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
};

/** Members of the response stream that carry nothing for the answer text. */
const IGNORED_MEMBERS = new Set(['files', '$unknown']);

/**
 * Calls InvokeAgent and yields the answer's text as it streams in; adds the token usage its trace
 * events report to `usage`. Exception events inside the
 * stream are thrown (the SDK yields them as `{ throttlingException: error }`); a `returnControl`
 * event is refused (this agent's action groups are Lambda-backed). Stops with
 * DeadlineExceededError when `signal` aborts, even if the stream stalls.
 *
 * @example for await (const text of agentAnswerText(client, input, signal)) coalescer.push(text);
 */
export async function* agentAnswerText(
  client: BedrockAgentRuntimeClient,
  input: InvokeAgentCommandInput,
  signal: AbortSignal,
  usage: TokenUsage = { inputTokens: 0, outputTokens: 0 },
): AsyncGenerator<string, void, undefined> {
  if (signal.aborted) throw new DeadlineExceededError();
  const response = await untilAborted(
    client.send(new InvokeAgentCommand(input), { abortSignal: signal }),
    signal,
  );
  if (!response.completion) throw new UnexpectedAgentResponseError('(no completion)');
  const decoder = new TextDecoder('utf-8');
  const events = response.completion[Symbol.asyncIterator]();
  try {
    while (true) {
      const next: IteratorResult<ResponseStream> = await untilAborted(events.next(), signal);
      if (next.done) break;
      const event = next.value as Record<string, unknown> & ResponseStream;
      if (event.chunk) {
        const text = event.chunk.bytes ? decoder.decode(event.chunk.bytes, { stream: true }) : '';
        if (text) yield text;
        continue;
      }
      if (event.trace) {
        addTraceUsage(usage, event.trace);
        continue;
      }
      const member = Object.keys(event).find((key) => event[key] !== undefined) ?? '(empty)';
      if (IGNORED_MEMBERS.has(member)) continue;
      const value = event[member];
      if (value instanceof Error) throw value;
      throw new UnexpectedAgentResponseError(member);
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    // Stop the SDK's reader too (e.g. after an abort or a consumer error); never wait on it.
    void events.return?.().catch(() => {});
  }
}
