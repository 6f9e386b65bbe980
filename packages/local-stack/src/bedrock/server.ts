import { randomUUID } from 'node:crypto';
import { createServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { type AdminKey, AuthenticationFault, authenticateCaller, sessionContext } from '../common/caller';
import {
  BodyTooLargeError,
  type ListenOptions,
  type LocalEndpoint,
  listen,
  readBody,
  trackConnections,
} from '../common/net';
import { authorize } from '../iam/evaluate';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type RoleRegistry } from '../iam/types';
import type { SessionStore } from '../sts/session-store';
import { createIntentRouterModel } from './intent-router';
import {
  type ActionGroupDefinition,
  type AgentModel,
  type AgentStep,
  type BedrockActionGroupEvent,
  type BedrockActionGroupResponse,
  type ConversationTurn,
  type FunctionCall,
  type FunctionResult,
  type InvokeActionGroup,
  ORDER_ACTION_GROUP,
} from './types';

export type BedrockErrorType =
  | 'ValidationException'
  | 'ThrottlingException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'DependencyFailedException'
  | 'InternalServerException'
  | 'ServiceQuotaExceededException'
  | 'BadGatewayException'
  | 'ConflictException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'ExpiredTokenException';

const ERROR_STATUS: Record<BedrockErrorType, number> = {
  ValidationException: 400,
  ThrottlingException: 429,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  DependencyFailedException: 424,
  InternalServerException: 500,
  ServiceQuotaExceededException: 400,
  BadGatewayException: 502,
  ConflictException: 409,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  ExpiredTokenException: 403,
};

export interface InjectedFault {
  type: BedrockErrorType;
  message?: string;
  /** How many InvokeAgent requests fail this way (default 1). */
  times?: number;
  /** Fail after the answer started streaming (an exception event) instead of with an HTTP error. */
  midStream?: boolean;
}

export interface LocalBedrockAgentOptions extends ListenOptions {
  /** Runs the action group, e.g. the real handler of order-action-group. */
  invokeActionGroup: InvokeActionGroup;
  /** Decides calls and answers. Default: createIntentRouterModel(). */
  model?: AgentModel;
  /** Default: the Tenant Assistant's `orders` action group. */
  actionGroups?: readonly ActionGroupDefinition[];
  /** When given, only these agents/aliases exist (others: ResourceNotFoundException). */
  agents?: Readonly<Record<string, { name?: string; aliases?: readonly string[] }>>;
  /** `agent.name` in action-group events (default `local-agent`). */
  agentName?: string;
  /** `agent.version` in action-group events (default `DRAFT`). */
  agentVersion?: string;
  /** Function calls per turn before giving up (default 5). */
  maxSteps?: number;
  /** Characters per streamed chunk (default 24, so an answer arrives in several chunks). */
  chunkSize?: number;
  /** Turns kept per session (default 20). */
  maxHistory?: number;
  /**
   * IAM as in AWS: when given, every InvokeAgent must be SigV4-signed by an STS session (e.g. a
   * function's own role session) or an admin key, and a session's role must allow
   * `bedrock:InvokeAgent` on `agent-alias/<agentId>/<aliasId>` (else `AccessDeniedException`, 403).
   */
  iam?: {
    sessions: SessionStore;
    roles: RoleRegistry;
    admins?: readonly AdminKey[];
    accountId?: string;
    region?: string;
  };
}

export interface AgentInvocation {
  sessionId: string;
  agentId: string;
  agentAliasId: string;
  inputText: string;
  calls: Array<FunctionCall & { state?: FunctionResult['state']; error?: string }>;
  answer?: string;
  error?: BedrockErrorType;
}

export interface LocalBedrockAgent extends LocalEndpoint {
  /** Every InvokeAgent request and what happened (the action-group events are not kept: they hold credentials). */
  invocations(): readonly AgentInvocation[];
  /** The conversation kept for a session, if any. */
  session(
    sessionId: string,
  ): { turns: readonly ConversationTurn[]; sessionAttributes: Readonly<Record<string, string>> } | undefined;
  /** Makes the next InvokeAgent request(s) fail like Bedrock does (throttling, validation, …). */
  injectFault(fault: InjectedFault): void;
}

const ROUTE = /^\/agents\/([^/]+)\/agentAliases\/([^/]+)\/sessions\/([^/]+)\/text$/;
const ID_PATTERN = /^[0-9a-zA-Z]{10}$/;
const SESSION_PATTERN = /^[0-9a-zA-Z._:-]{2,100}$/;
const MAX_INPUT = 25_000;

class AgentFault extends Error {
  constructor(
    readonly type: BedrockErrorType,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringMap = (value: unknown, field: string): Record<string, string> => {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new AgentFault('ValidationException', `${field} must be a map of strings`);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw new AgentFault('ValidationException', `${field}.${key} must be a string`);
    result[key] = item;
  }
  return result;
};

const constraint = (value: string, field: string, rule: string) =>
  new AgentFault(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`,
  );

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
 * Local stand-in for Agents for Amazon Bedrock Runtime `InvokeAgent` (cleartext HTTP/2, event-stream
 * answers, as the real SDK client expects). A "model" (by default a deterministic intent router)
 * chooses action-group functions; the stand-in calls `invokeActionGroup` with Bedrock's exact
 * function-details event, feeds the result back to the model and streams the final answer in chunks.
 * Sessions keep their previous turns and session attributes.
 */
export const startLocalBedrockAgent = async (
  options: LocalBedrockAgentOptions,
): Promise<LocalBedrockAgent> => {
  const model = options.model ?? createIntentRouterModel();
  const actionGroups = options.actionGroups ?? [ORDER_ACTION_GROUP];
  const maxSteps = options.maxSteps ?? 5;
  const chunkSize = Math.max(1, options.chunkSize ?? 24);
  const maxHistory = options.maxHistory ?? 20;
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const sessions = new Map<
    string,
    { turns: ConversationTurn[]; sessionAttributes: Record<string, string> }
  >();
  const invocations: AgentInvocation[] = [];
  const faults: InjectedFault[] = [];

  const message = (headers: Record<string, string>, body: unknown) =>
    codec.encode({
      headers: Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }]),
      ),
      body: fromUtf8(JSON.stringify(body)),
    });

  const chunkEvent = (text: string) =>
    message(
      { ':event-type': 'chunk', ':message-type': 'event', ':content-type': 'application/json' },
      { bytes: Buffer.from(text, 'utf8').toString('base64') },
    );

  const exceptionEvent = (type: BedrockErrorType, text: string) =>
    message(
      {
        ':exception-type': `${type.charAt(0).toLowerCase()}${type.slice(1)}`,
        ':message-type': 'exception',
        ':content-type': 'application/json',
      },
      { message: text },
    );

  const traceEvent = (trace: Json, ids: { agentId: string; agentAliasId: string; sessionId: string }) =>
    message(
      { ':event-type': 'trace', ':message-type': 'event', ':content-type': 'application/json' },
      { ...ids, agentVersion: options.agentVersion ?? 'DRAFT', trace },
    );

  /** Authentication first, then `bedrock:InvokeAgent` on the alias for a role session. */
  const authorizeInvokeAgent = async (
    req: Http2ServerRequest,
    body: Buffer,
    agentId: string,
    agentAliasId: string,
  ) => {
    const iam = options.iam as NonNullable<LocalBedrockAgentOptions['iam']>;
    let caller: Awaited<ReturnType<typeof authenticateCaller>>;
    try {
      caller = await authenticateCaller(
        {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body,
        },
        { sessions: iam.sessions, admins: iam.admins ?? [] },
      );
    } catch (error) {
      if (error instanceof AuthenticationFault) throw new AgentFault(error.code, error.message);
      throw error;
    }
    if (caller.kind !== 'session') return;
    const resourceArn = `arn:aws:bedrock:${iam.region ?? LOCAL_REGION}:${iam.accountId ?? LOCAL_ACCOUNT_ID}:agent-alias/${agentId}/${agentAliasId}`;
    const decision = await authorize(
      {
        principalArn: caller.principalArn,
        action: 'bedrock:InvokeAgent',
        resourceArn,
        resourceAccountId: iam.accountId ?? LOCAL_ACCOUNT_ID,
        context: sessionContext(caller.session, caller.region, new Date()),
      },
      {
        identityPolicies: iam.roles[caller.session.roleArn]?.policies ?? [],
        ...(caller.session.sessionPolicy ? { sessionPolicy: caller.session.sessionPolicy } : {}),
      },
    );
    if (!decision.allowed) throw new AgentFault('AccessDeniedException', decision.message);
  };

  const sendError = (res: Http2ServerResponse, type: BedrockErrorType, text: string) => {
    const body = JSON.stringify({ message: text });
    res.writeHead(ERROR_STATUS[type], {
      'content-type': 'application/json',
      'x-amzn-errortype': type,
      'x-amzn-requestid': randomUUID(),
    });
    res.end(body);
  };

  const callActionGroup = async (
    call: FunctionCall,
    context: {
      agentId: string;
      agentAliasId: string;
      sessionId: string;
      inputText: string;
      sessionAttributes: Record<string, string>;
      promptSessionAttributes: Record<string, string>;
    },
  ): Promise<{ result: FunctionResult; response: BedrockActionGroupResponse }> => {
    const definition = actionGroups
      .find((group) => group.name === call.actionGroup)
      ?.functions.find((fn) => fn.name === call.function);
    const event: BedrockActionGroupEvent = {
      messageVersion: '1.0',
      agent: {
        name: options.agents?.[context.agentId]?.name ?? options.agentName ?? 'local-agent',
        id: context.agentId,
        alias: context.agentAliasId,
        version: options.agentVersion ?? 'DRAFT',
      },
      inputText: context.inputText,
      sessionId: context.sessionId,
      actionGroup: call.actionGroup,
      function: call.function,
      parameters: Object.entries(call.parameters).map(([name, value]) => ({
        name,
        type: definition?.parameters?.find((p) => p.name === name)?.type ?? 'string',
        value,
      })),
      sessionAttributes: { ...context.sessionAttributes },
      promptSessionAttributes: { ...context.promptSessionAttributes },
    };
    const response = await options.invokeActionGroup(event);
    const functionResponse = response?.response?.functionResponse;
    const body = functionResponse?.responseBody?.TEXT?.body;
    if (typeof body !== 'string') {
      throw new AgentFault(
        'DependencyFailedException',
        'The server encountered an error processing the Lambda response. Check the Lambda response and retry the request',
      );
    }
    const state = functionResponse?.responseState ?? 'OK';
    return { result: { body, state }, response };
  };

  const handle = async (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const route = ROUTE.exec((req.url ?? '').split('?')[0] ?? '');
    if (req.method !== 'POST' || !route) {
      sendError(
        res,
        'ResourceNotFoundException',
        'The local Bedrock Agent Runtime stand-in only supports InvokeAgent',
      );
      return;
    }
    const [agentId, agentAliasId, sessionId] = route.slice(1).map((part) => decodeURIComponent(part)) as [
      string,
      string,
      string,
    ];
    const record: AgentInvocation = { sessionId, agentId, agentAliasId, inputText: '', calls: [] };
    invocations.push(record);
    const fail = (type: BedrockErrorType, text: string) => {
      record.error = type;
      sendError(res, type, text);
    };
    try {
      const raw = await readBody(req, 1024 * 1024);
      if (options.iam) await authorizeInvokeAgent(req, raw, agentId, agentAliasId);
      if (!ID_PATTERN.test(agentId))
        throw constraint(agentId, 'agentId', 'Member must satisfy regular expression pattern: [0-9a-zA-Z]+');
      if (!ID_PATTERN.test(agentAliasId)) {
        throw constraint(
          agentAliasId,
          'agentAliasId',
          'Member must satisfy regular expression pattern: [0-9a-zA-Z]+',
        );
      }
      if (!SESSION_PATTERN.test(sessionId)) {
        throw constraint(
          sessionId,
          'sessionId',
          'Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+ and have length between 2 and 100',
        );
      }
      const agent = options.agents ? options.agents[agentId] : undefined;
      if (options.agents && (!agent || (agent.aliases && !agent.aliases.includes(agentAliasId)))) {
        throw new AgentFault(
          'ResourceNotFoundException',
          `Failed to retrieve resource because it doesn't exist. Agent ${agentId} or alias ${agentAliasId}`,
        );
      }
      let body: Json;
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8') || '{}');
        if (!isRecord(parsed)) throw new Error('not an object');
        body = parsed;
      } catch {
        throw new AgentFault('ValidationException', 'The request body is not valid JSON');
      }
      const state = isRecord(body.sessionState) ? body.sessionState : {};
      if (state.returnControlInvocationResults !== undefined) {
        throw new AgentFault(
          'ValidationException',
          'Return of control is not supported by the local Bedrock stand-in',
        );
      }
      const inputText = body.inputText;
      if (typeof inputText !== 'string' || inputText.length === 0) {
        throw new AgentFault('ValidationException', 'inputText is required');
      }
      if (inputText.length > MAX_INPUT) {
        throw constraint('…', 'inputText', `Member must have length less than or equal to ${MAX_INPUT}`);
      }
      record.inputText = inputText;
      const requestAttributes =
        state.sessionAttributes === undefined
          ? undefined
          : stringMap(state.sessionAttributes, 'sessionAttributes');
      const promptSessionAttributes = stringMap(state.promptSessionAttributes, 'promptSessionAttributes');

      const fault = faults[0];
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) faults.shift();
      }
      if (fault && !fault.midStream)
        throw new AgentFault(fault.type, fault.message ?? `Injected ${fault.type}`);

      const session = sessions.get(sessionId) ?? { turns: [], sessionAttributes: {} };
      if (requestAttributes) session.sessionAttributes = requestAttributes;
      const steps: AgentStep[] = [];
      const traces: Json[] = [];
      let answer: string | undefined;
      for (let step = 0; step <= maxSteps && answer === undefined; step += 1) {
        let decision: Awaited<ReturnType<AgentModel['next']>>;
        try {
          decision = await model.next({
            inputText,
            history: session.turns,
            actionGroups,
            steps,
            promptSessionAttributes,
          });
        } catch (error) {
          throw new AgentFault('InternalServerException', `The model failed: ${(error as Error).message}`);
        }
        if (decision.type === 'answer') {
          answer = decision.text;
          break;
        }
        if (step === maxSteps) break;
        const known = actionGroups.some(
          (group) =>
            group.name === decision.call.actionGroup &&
            group.functions.some((fn) => fn.name === decision.call.function),
        );
        if (!known) {
          steps.push({
            call: decision.call,
            result: { body: `Unknown function ${decision.call.function}`, state: 'FAILURE' },
          });
          record.calls.push({ ...decision.call, state: 'FAILURE', error: 'unknown function' });
          continue;
        }
        traces.push({
          orchestrationTrace: {
            invocationInput: {
              invocationType: 'ACTION_GROUP',
              traceId: randomUUID(),
              actionGroupInvocationInput: {
                actionGroupName: decision.call.actionGroup,
                function: decision.call.function,
                parameters: Object.entries(decision.call.parameters).map(([name, value]) => ({
                  name,
                  type: 'string',
                  value,
                })),
                executionType: 'LAMBDA',
              },
            },
          },
        });
        let outcome: Awaited<ReturnType<typeof callActionGroup>>;
        try {
          outcome = await callActionGroup(decision.call, {
            agentId,
            agentAliasId,
            sessionId,
            inputText,
            sessionAttributes: session.sessionAttributes,
            promptSessionAttributes,
          });
        } catch (error) {
          record.calls.push({
            ...decision.call,
            error: error instanceof Error ? error.message : String(error),
          });
          if (error instanceof AgentFault) throw error;
          throw new AgentFault(
            'DependencyFailedException',
            `Received failed response from the action group Lambda: ${error instanceof Error ? error.name : 'Error'}`,
          );
        }
        if (outcome.response.sessionAttributes) {
          session.sessionAttributes = stringMap(outcome.response.sessionAttributes, 'sessionAttributes');
        }
        steps.push({ call: decision.call, result: outcome.result });
        record.calls.push({ ...decision.call, state: outcome.result.state });
        traces.push({
          orchestrationTrace: {
            observation: {
              type: 'ACTION_GROUP',
              traceId: randomUUID(),
              actionGroupInvocationOutput: { text: outcome.result.body },
            },
          },
        });
      }
      const text = answer ?? "I'm sorry, I couldn't complete that request.";
      record.answer = text;
      session.turns.push({ user: inputText, assistant: text, calls: steps.map((s) => s.call) });
      if (session.turns.length > maxHistory) session.turns.splice(0, session.turns.length - maxHistory);
      if (body.endSession === true) sessions.delete(sessionId);
      else sessions.set(sessionId, session);

      const stream = (body.streamingConfigurations as Json | undefined)?.streamFinalResponse === true;
      const chunks = stream ? splitIntoChunks(text, chunkSize) : [text];
      res.writeHead(200, {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-bedrock-agent-content-type': 'application/json',
        'x-amz-bedrock-agent-session-id': sessionId,
        'x-amzn-requestid': randomUUID(),
      });
      const ids = { agentId, agentAliasId, sessionId };
      if (body.enableTrace === true) {
        for (const trace of traces) res.write(traceEvent(trace, ids));
      }
      for (const [index, chunk] of chunks.entries()) {
        if (fault?.midStream && index === Math.floor(chunks.length / 2)) {
          record.error = fault.type;
          res.end(exceptionEvent(fault.type, fault.message ?? `Injected ${fault.type}`));
          return;
        }
        res.write(chunkEvent(chunk));
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    } catch (error) {
      if (error instanceof AgentFault) fail(error.type, error.message);
      else if (error instanceof BodyTooLargeError)
        fail('ValidationException', 'The request body is too large');
      else fail('InternalServerException', 'The local Bedrock Agent Runtime stand-in failed');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        sendError(res, 'InternalServerException', 'The local Bedrock Agent Runtime stand-in failed');
      else res.end();
    });
  });
  const close = trackConnections(server);
  const { url } = await listen(server, options);
  return {
    url,
    invocations: () => [...invocations],
    session: (sessionId) => {
      const session = sessions.get(sessionId);
      return session
        ? { turns: [...session.turns], sessionAttributes: { ...session.sessionAttributes } }
        : undefined;
    },
    injectFault: (fault) => {
      faults.push({ ...fault, times: fault.times ?? 1 });
    },
    close,
  };
};
