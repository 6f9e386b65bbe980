import { randomUUID } from 'node:crypto';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { BedrockErrorType } from './faults';
import type { ActionGroupDefinition, AgentDecision, AgentStep, ConversationTurn } from './types';

/** Splits an answer into chunks on word boundaries where possible. */
export const splitIntoChunks = (text: string, size: number): string[] => {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > size) {
    let cut = rest.lastIndexOf(' ', size);
    if (cut <= 0) cut = size;
    else cut += 1;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) chunks.push(rest);
  return chunks;
};

/**
 * Tokens of a text as models count them, roughly (about four characters a token for English).
 * The local stand-in has no tokenizer: this is an estimate, documented as such.
 */
const tokensOf = (text: string) => Math.ceil(text.length / 4);

/**
 * Instructions and formatting a Bedrock agent's orchestration prompt template adds around the
 * conversation (≈ 1,000 tokens with Anthropic models and the default template): every model call
 * pays them.
 */
export const ORCHESTRATION_TEMPLATE_TOKENS = 1000;

/**
 * The token usage one model call of the agent reports, estimated the way Bedrock counts it: the
 * input is the whole orchestration prompt (template, the action groups' schema, the conversation
 * so far, this turn's input and the results of this turn's calls), the output the model's decision.
 */
export const estimateUsage = (
  turn: {
    inputText: string;
    history: readonly ConversationTurn[];
    steps: readonly AgentStep[];
    actionGroups: readonly ActionGroupDefinition[];
  },
  decision: AgentDecision,
) => ({
  inputTokens:
    ORCHESTRATION_TEMPLATE_TOKENS +
    tokensOf(JSON.stringify(turn.actionGroups)) +
    tokensOf(turn.history.map((t) => `${t.user}\n${t.assistant}`).join('\n')) +
    tokensOf(turn.inputText) +
    tokensOf(turn.steps.map((step) => JSON.stringify(step)).join('\n')),
  outputTokens: tokensOf(decision.type === 'answer' ? decision.text : JSON.stringify(decision.call)) + 12,
});

/** The orchestration trace Bedrock emits after each model call, with its token usage. */
export const modelInvocationTrace = (usage: { inputTokens: number; outputTokens: number }) => ({
  orchestrationTrace: {
    modelInvocationOutput: {
      traceId: randomUUID().replace(/-/g, '').slice(0, 16),
      metadata: { usage },
    },
  },
});

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const message = (headers: Record<string, string>, body: unknown) =>
  codec.encode({
    headers: Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }]),
    ),
    body: fromUtf8(JSON.stringify(body)),
  });

/** An answer chunk of the event stream (`{"bytes": "<base64 text>"}`). */
export const chunkEvent = (text: string) =>
  message(
    { ':event-type': 'chunk', ':message-type': 'event', ':content-type': 'application/json' },
    { bytes: Buffer.from(text, 'utf8').toString('base64') },
  );

/** A failure after the answer started streaming. */
export const exceptionEvent = (type: BedrockErrorType, text: string) =>
  message(
    {
      ':exception-type': `${type.charAt(0).toLowerCase()}${type.slice(1)}`,
      ':message-type': 'exception',
      ':content-type': 'application/json',
    },
    { message: text },
  );

/** A trace event (with `enableTrace`). */
export const traceEvent = (
  trace: Record<string, unknown>,
  ids: { agentId: string; agentAliasId: string; sessionId: string; agentVersion: string },
) =>
  message(
    { ':event-type': 'trace', ':message-type': 'event', ':content-type': 'application/json' },
    { ...ids, trace },
  );
