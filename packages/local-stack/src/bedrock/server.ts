import { randomUUID } from 'node:crypto';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { type AdminKey, AuthenticationFault, authenticateCaller, sessionContext } from '../common/caller';
import { BodyTooLargeError, type ListenOptions, type LocalEndpoint, readBody } from '../common/net';
import { serveStandInHttp2, signedRequestOf } from '../common/server';
import { authorize } from '../iam/evaluate';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type RoleRegistry } from '../iam/types';
import type { SessionStore } from '../sts/session-store';
import { chunkEvent, exceptionEvent, splitIntoChunks, traceEvent } from './event-stream';
import { AgentFault, type BedrockErrorType, sendError } from './faults';
import { createIntentRouterModel } from './intent-router';
import { type AgentSetup, orchestrate, type Turn } from './orchestration';
import { checkIds, type InvokeAgentIds, invokeAgentRoute, parseInvokeAgentBody } from './request';
import {
  type ActionGroupDefinition,
  type AgentModel,
  type ConversationTurn,
  type FunctionCall,
  type FunctionResult,
  type InvokeActionGroup,
  ORDER_ACTION_GROUP,
} from './types';

export { estimateUsage, ORCHESTRATION_TEMPLATE_TOKENS, splitIntoChunks } from './event-stream';
export type { BedrockErrorType } from './faults';

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

type Session = { turns: ConversationTurn[]; sessionAttributes: Record<string, string> };

/** Authentication first, then `bedrock:InvokeAgent` on the alias for a role session. */
const authorizeInvokeAgent = async (
  iam: NonNullable<LocalBedrockAgentOptions['iam']>,
  req: Http2ServerRequest,
  body: Buffer,
  { agentId, agentAliasId }: InvokeAgentIds,
) => {
  let caller: Awaited<ReturnType<typeof authenticateCaller>>;
  try {
    caller = await authenticateCaller(signedRequestOf(req, body), {
      sessions: iam.sessions,
      admins: iam.admins ?? [],
    });
  } catch (error) {
    if (error instanceof AuthenticationFault) throw new AgentFault(error.code, error.message);
    throw error;
  }
  if (caller.kind !== 'session') return;
  const accountId = iam.accountId ?? LOCAL_ACCOUNT_ID;
  const decision = await authorize(
    {
      principalArn: caller.principalArn,
      action: 'bedrock:InvokeAgent',
      resourceArn: `arn:aws:bedrock:${iam.region ?? LOCAL_REGION}:${accountId}:agent-alias/${agentId}/${agentAliasId}`,
      resourceAccountId: accountId,
      context: sessionContext(caller.session, caller.region, new Date()),
    },
    {
      identityPolicies: iam.roles[caller.session.roleArn]?.policies ?? [],
      ...(caller.session.sessionPolicy ? { sessionPolicy: caller.session.sessionPolicy } : {}),
    },
  );
  if (!decision.allowed) throw new AgentFault('AccessDeniedException', decision.message);
};

/** The next injected fault, counted down (a fault with `times: n` fails n requests). */
const takeFault = (faults: InjectedFault[]): InjectedFault | undefined => {
  const fault = faults[0];
  if (fault) {
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.shift();
  }
  if (fault && !fault.midStream) throw new AgentFault(fault.type, fault.message ?? `Injected ${fault.type}`);
  return fault;
};

/** Streams the answer as Bedrock does: traces (if asked for), then the chunks; a mid-stream fault cuts it. */
const streamAnswer = async (
  res: Http2ServerResponse,
  answer: { text: string; chunks: string[]; traces: Record<string, unknown>[] },
  ids: InvokeAgentIds & { agentVersion: string },
  fault: InjectedFault | undefined,
  record: AgentInvocation,
) => {
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-bedrock-agent-content-type': 'application/json',
    'x-amz-bedrock-agent-session-id': ids.sessionId,
    'x-amzn-requestid': randomUUID(),
  });
  for (const trace of answer.traces) res.write(traceEvent(trace, ids));
  for (const [index, chunk] of answer.chunks.entries()) {
    if (fault?.midStream && index === Math.floor(answer.chunks.length / 2)) {
      record.error = fault.type;
      res.end(exceptionEvent(fault.type, fault.message ?? `Injected ${fault.type}`));
      return;
    }
    res.write(chunkEvent(chunk));
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
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
  const agentVersion = options.agentVersion ?? 'DRAFT';
  const setup: AgentSetup = {
    model: options.model ?? createIntentRouterModel(),
    actionGroups: options.actionGroups ?? [ORDER_ACTION_GROUP],
    maxSteps: options.maxSteps ?? 5,
    invokeActionGroup: options.invokeActionGroup,
    agentName: (agentId) => options.agents?.[agentId]?.name ?? options.agentName ?? 'local-agent',
    agentVersion,
  };
  const chunkSize = Math.max(1, options.chunkSize ?? 24);
  const maxHistory = options.maxHistory ?? 20;
  const sessions = new Map<string, Session>();
  const invocations: AgentInvocation[] = [];
  const faults: InjectedFault[] = [];

  const checkAgentExists = ({ agentId, agentAliasId }: InvokeAgentIds) => {
    const agent = options.agents ? options.agents[agentId] : undefined;
    if (options.agents && (!agent || (agent.aliases && !agent.aliases.includes(agentAliasId)))) {
      throw new AgentFault(
        'ResourceNotFoundException',
        `Failed to retrieve resource because it doesn't exist. Agent ${agentId} or alias ${agentAliasId}`,
      );
    }
  };

  /** Keeps the turn in the session (at most `maxHistory` turns), or ends the session. */
  const remember = (turn: Turn, text: string, endSession: boolean) => {
    const { session } = turn;
    session.turns.push({ user: turn.inputText, assistant: text, calls: turn.steps.map((s) => s.call) });
    if (session.turns.length > maxHistory) session.turns.splice(0, session.turns.length - maxHistory);
    if (endSession) sessions.delete(turn.ids.sessionId);
    else sessions.set(turn.ids.sessionId, session);
  };

  /** authorize → validate → injected fault → orchestrate → remember → stream. */
  const invokeAgent = async (
    req: Http2ServerRequest,
    res: Http2ServerResponse,
    ids: InvokeAgentIds,
    record: AgentInvocation,
  ) => {
    const raw = await readBody(req, 1024 * 1024);
    if (options.iam) await authorizeInvokeAgent(options.iam, req, raw, ids);
    checkIds(ids);
    checkAgentExists(ids);
    const request = parseInvokeAgentBody(raw);
    record.inputText = request.inputText;
    const fault = takeFault(faults);
    const session = sessions.get(ids.sessionId) ?? { turns: [], sessionAttributes: {} };
    if (request.sessionAttributes) session.sessionAttributes = request.sessionAttributes;
    const turn: Turn = {
      ids,
      inputText: request.inputText,
      promptSessionAttributes: request.promptSessionAttributes,
      session,
      steps: [],
      traces: [],
      calls: record.calls,
    };
    const text = (await orchestrate(setup, turn)) ?? "I'm sorry, I couldn't complete that request.";
    record.answer = text;
    remember(turn, text, request.endSession);
    const chunks = request.streamFinalResponse ? splitIntoChunks(text, chunkSize) : [text];
    const traces = request.enableTrace ? turn.traces : [];
    await streamAnswer(res, { text, chunks, traces }, { ...ids, agentVersion }, fault, record);
  };

  const handle = async (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const ids = invokeAgentRoute(req.method, req.url ?? '');
    if (!ids) {
      sendError(
        res,
        'ResourceNotFoundException',
        'The local Bedrock Agent Runtime stand-in only supports InvokeAgent',
      );
      return;
    }
    const record: AgentInvocation = { ...ids, inputText: '', calls: [] };
    invocations.push(record);
    try {
      await invokeAgent(req, res, ids, record);
    } catch (error) {
      const fault =
        error instanceof AgentFault
          ? error
          : error instanceof BodyTooLargeError
            ? new AgentFault('ValidationException', 'The request body is too large')
            : new AgentFault('InternalServerException', 'The local Bedrock Agent Runtime stand-in failed');
      record.error = fault.type;
      sendError(res, fault.type, fault.message);
    }
  };

  const endpoint = await serveStandInHttp2(options, handle, (res) =>
    sendError(res, 'InternalServerException', 'The local Bedrock Agent Runtime stand-in failed'),
  );
  return {
    url: endpoint.url,
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
    close: endpoint.close,
  };
};
