import { AgentModelError } from '../errors';
import type { ActionGroupDefinition, AgentDecision, AgentModel, AgentTurn, FunctionCall } from './types';

export interface OpenAiCompatibleModelOptions {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama) — `/chat/completions` is appended. */
  baseUrl: string;
  /** The model name the endpoint knows. */
  model: string;
  apiKey?: string;
  /** Replaces the default system prompt. */
  systemPrompt?: string;
  temperature?: number;
  /** Per request (default 60 s). */
  timeoutMs?: number;
}

export const DEFAULT_SYSTEM_PROMPT = [
  "You are the customer assistant of an online shop. Answer the customer's questions about the shop's return policy and the customer's own orders.",
  'Use the tools to get facts; never invent orders, statuses or policies.',
  'You never need a tenant, customer or user id: the tools already know who is asking. Never ask for one and never pass one.',
  'If a question is about something else, say politely what you can help with. Keep answers short.',
].join(' ');

type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

const toolName = (group: string, fn: string, groups: readonly ActionGroupDefinition[]) => {
  const clashes = groups.filter((g) => g.functions.some((f) => f.name === fn)).length > 1;
  return clashes ? `${group}__${fn}` : fn;
};

const toolsFor = (groups: readonly ActionGroupDefinition[]) =>
  groups.flatMap((group) =>
    group.functions.map((fn) => ({
      type: 'function' as const,
      function: {
        name: toolName(group.name, fn.name, groups),
        description: fn.description,
        parameters: {
          type: 'object',
          properties: Object.fromEntries(
            (fn.parameters ?? []).map((p) => [
              p.name,
              {
                type: p.type === 'integer' ? 'integer' : p.type,
                ...(p.description ? { description: p.description } : {}),
              },
            ]),
          ),
          required: (fn.parameters ?? []).filter((p) => p.required).map((p) => p.name),
        },
      },
    })),
  );

const callId = (call: FunctionCall, index: number) => call.id ?? `call_${index + 1}`;

/** The whole conversation so far, in chat-completions form. */
export const chatMessagesFor = (turn: AgentTurn, systemPrompt = DEFAULT_SYSTEM_PROMPT): ChatMessage[] => {
  const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt }];
  for (const past of turn.history) {
    messages.push({ role: 'user', content: past.user }, { role: 'assistant', content: past.assistant });
  }
  messages.push({ role: 'user', content: turn.inputText });
  turn.steps.forEach((step, index) => {
    const id = callId(step.call, index);
    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id,
          type: 'function',
          function: {
            name: toolName(step.call.actionGroup, step.call.function, turn.actionGroups),
            arguments: JSON.stringify(step.call.parameters),
          },
        },
      ],
    });
    const prefix = step.result.state === 'OK' ? '' : `[${step.result.state}] `;
    messages.push({ role: 'tool', tool_call_id: id, content: `${prefix}${step.result.body}` });
  });
  return messages;
};

const stringParameters = (raw: string): Record<string, string> => {
  let parsed: unknown;
  try {
    parsed = raw.trim() ? JSON.parse(raw) : {};
  } catch {
    throw new AgentModelError('The model sent tool arguments that are not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AgentModelError('The model sent tool arguments that are not an object');
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    result[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return result;
};

/**
 * A model backed by any OpenAI-compatible chat-completions endpoint with tool calling (a local
 * Ollama, LM Studio, vLLM, or a hosted API). The action-group functions become tools.
 */
export const createOpenAiCompatibleModel = (options: OpenAiCompatibleModelOptions): AgentModel => {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: `openai-compatible:${options.model}`,
    async next(turn: AgentTurn, signal?: AbortSignal): Promise<AgentDecision> {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
      const tools = toolsFor(turn.actionGroups);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: options.model,
            messages: chatMessagesFor(turn, options.systemPrompt),
            ...(tools.length ? { tools, tool_choice: 'auto' } : {}),
            temperature: options.temperature ?? 0,
          }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        throw new AgentModelError(
          `The model endpoint ${endpoint} cannot be reached: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      if (!response.ok) {
        throw new AgentModelError(`The model endpoint answered HTTP ${response.status}`);
      }
      const payload = (await response.json().catch(() => undefined)) as
        | { choices?: Array<{ message?: { content?: string | null; tool_calls?: ToolCall[] } }> }
        | undefined;
      const message = payload?.choices?.[0]?.message;
      if (!message) throw new AgentModelError('The model endpoint answered without a message');
      const toolCall = message.tool_calls?.[0];
      if (toolCall) {
        const name = toolCall.function?.name ?? '';
        for (const group of turn.actionGroups) {
          for (const fn of group.functions) {
            if (toolName(group.name, fn.name, turn.actionGroups) === name) {
              return {
                type: 'call',
                call: {
                  actionGroup: group.name,
                  function: fn.name,
                  parameters: stringParameters(toolCall.function.arguments ?? ''),
                  ...(toolCall.id ? { id: toolCall.id } : {}),
                },
              };
            }
          }
        }
        throw new AgentModelError(`The model asked for an unknown tool "${name.slice(0, 64)}"`);
      }
      const text = typeof message.content === 'string' ? message.content.trim() : '';
      if (!text) throw new AgentModelError('The model answered with neither text nor a tool call');
      return { type: 'answer', text };
    },
  };
};
