import {
  type BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { EventDetail } from '@tenant-assistant/contracts/events';
import type { TenantContext } from '@tenant-assistant/tenant-context';
import { type ScopedCredentials, toSessionAttributes } from '@tenant-assistant/tenant-context/credentials';
import { DeadlineExceededError, UnexpectedAgentResponseError } from '../errors';

/** Which agent to ask and how. */
export interface AgentSettings {
  readonly agentId: string;
  readonly agentAliasId: string;
  readonly streamFinalResponse: boolean;
}

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
  agentAliasId: settings.agentAliasId,
  sessionId: agentSessionId(tenant, detail.conversationId),
  inputText: detail.prompt,
  enableTrace: false,
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
const IGNORED_MEMBERS = new Set(['trace', 'files', '$unknown']);

/**
 * Calls InvokeAgent and yields the answer's text as it streams in. Exception events inside the
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
