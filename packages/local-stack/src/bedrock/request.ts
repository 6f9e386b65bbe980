import { isJsonObject, parseJson } from '../common/server';
import { AgentFault, constraint } from './faults';

const ROUTE = /^\/agents\/([^/]+)\/agentAliases\/([^/]+)\/sessions\/([^/]+)\/text$/;
const ID_PATTERN = /^[0-9a-zA-Z]{10}$/;
const SESSION_PATTERN = /^[0-9a-zA-Z._:-]{2,100}$/;
const MAX_INPUT = 25_000;

export interface InvokeAgentIds {
  agentId: string;
  agentAliasId: string;
  sessionId: string;
}

/** An InvokeAgent request, validated as Bedrock validates it. */
export interface InvokeAgentRequest {
  inputText: string;
  /** The session attributes the request replaces the session's with, if it sends any. */
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
  endSession: boolean;
  enableTrace: boolean;
  streamFinalResponse: boolean;
}

/** The ids in an InvokeAgent path, or undefined for any other request. */
export const invokeAgentRoute = (method: string, url: string): InvokeAgentIds | undefined => {
  const route = ROUTE.exec(url.split('?')[0] ?? '');
  if (method !== 'POST' || !route) return undefined;
  const [agentId, agentAliasId, sessionId] = route.slice(1).map((part) => decodeURIComponent(part)) as [
    string,
    string,
    string,
  ];
  return { agentId, agentAliasId, sessionId };
};

export const checkIds = ({ agentId, agentAliasId, sessionId }: InvokeAgentIds) => {
  const idRule = 'Member must satisfy regular expression pattern: [0-9a-zA-Z]+';
  if (!ID_PATTERN.test(agentId)) throw constraint(agentId, 'agentId', idRule);
  if (!ID_PATTERN.test(agentAliasId)) throw constraint(agentAliasId, 'agentAliasId', idRule);
  if (!SESSION_PATTERN.test(sessionId)) {
    throw constraint(
      sessionId,
      'sessionId',
      'Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+ and have length between 2 and 100',
    );
  }
};

export const stringMap = (value: unknown, field: string): Record<string, string> => {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw new AgentFault('ValidationException', `${field} must be a map of strings`);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw new AgentFault('ValidationException', `${field}.${key} must be a string`);
    result[key] = item;
  }
  return result;
};

const inputTextOf = (value: unknown): string => {
  if (typeof value !== 'string' || value.length === 0) {
    throw new AgentFault('ValidationException', 'inputText is required');
  }
  if (value.length > MAX_INPUT) {
    throw constraint('…', 'inputText', `Member must have length less than or equal to ${MAX_INPUT}`);
  }
  return value;
};

/** The JSON body of an InvokeAgent request. */
export const parseInvokeAgentBody = (raw: Buffer): InvokeAgentRequest => {
  const parsed = parseJson(raw);
  if (!parsed.ok || !isJsonObject(parsed.value)) {
    throw new AgentFault('ValidationException', 'The request body is not valid JSON');
  }
  const body = parsed.value;
  const state = isJsonObject(body.sessionState) ? body.sessionState : {};
  if (state.returnControlInvocationResults !== undefined) {
    throw new AgentFault(
      'ValidationException',
      'Return of control is not supported by the local Bedrock stand-in',
    );
  }
  const inputText = inputTextOf(body.inputText);
  const streaming = isJsonObject(body.streamingConfigurations) ? body.streamingConfigurations : {};
  return {
    inputText,
    ...(state.sessionAttributes === undefined
      ? {}
      : { sessionAttributes: stringMap(state.sessionAttributes, 'sessionAttributes') }),
    promptSessionAttributes: stringMap(state.promptSessionAttributes, 'promptSessionAttributes'),
    endSession: body.endSession === true,
    enableTrace: body.enableTrace === true,
    streamFinalResponse: streaming.streamFinalResponse === true,
  };
};
