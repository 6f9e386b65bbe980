import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TenantMetricsView, TenantsUsagePage, TenantUsageView } from '@tenant-assistant/contracts/http';
import WebSocket from 'ws';
import type { StackInfo } from './state';

/** A signed-in user of the local system. */
export interface Session {
  username: string;
  idToken: string;
  accessToken: string;
}

/**
 * Signs in through the local Cognito with USER_PASSWORD_AUTH (the local web client allows it;
 * cognito-local has no SRP). A first sign-in with a temporary password needs `newPassword`.
 */
export const signIn = async (
  stack: Pick<StackInfo, 'region' | 'cognitoUrl' | 'webClientId'>,
  username: string,
  password: string,
  newPassword?: string,
): Promise<Session> => {
  const cognito = new CognitoIdentityProviderClient({
    region: stack.region,
    endpoint: stack.cognitoUrl,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  let result = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack.webClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  if (result.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    if (!newPassword)
      throw new Error(`${username} must set a new password at first sign-in (pass --new-password)`);
    result = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.webClientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: result.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
      }),
    );
  }
  if (result.ChallengeName)
    throw new Error(`Sign-in needs ${result.ChallengeName}, which this client does not handle`);
  const tokens = result.AuthenticationResult;
  if (!tokens?.IdToken || !tokens.AccessToken) throw new Error('Sign-in returned no tokens');
  return { username, idToken: tokens.IdToken, accessToken: tokens.AccessToken };
};

/** Error answer of the chat API: `{"error":{"code","message"}}` with its HTTP status. */
export class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'ChatApiError';
  }
}

const api = async <T>(
  stack: Pick<StackInfo, 'chatApiUrl'>,
  session: Pick<Session, 'idToken'>,
  path: string,
  init: RequestInit = {},
) => {
  const response = await fetch(`${stack.chatApiUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${session.idToken}`,
      'content-type': 'application/json',
      ...init.headers,
    },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ChatApiError(response.status, error?.code ?? 'UNKNOWN', error?.message ?? text);
  }
  return body as T;
};

/** Signs each user in once (with `password`) and reuses the session: for tests and tools acting as several users. */
export const sessionCache = (
  stack: () => Pick<StackInfo, 'region' | 'cognitoUrl' | 'webClientId'>,
  password: string,
) => {
  const sessions = new Map<string, Session>();
  const session = async (username: string) => {
    const existing = sessions.get(username);
    if (existing) return existing;
    const created = await signIn(stack(), username, password);
    sessions.set(username, created);
    return created;
  };
  return { sessions, session };
};

/** `POST /prompts` → `{answerId, conversationId}`. */
export const submitPrompt = async (
  stack: Pick<StackInfo, 'chatApiUrl'>,
  session: Session,
  prompt: string,
  conversationId?: string,
) => {
  const accepted = await api<{ answerId?: string; conversationId?: string; deadlineAt?: string } | undefined>(
    stack,
    session,
    '/prompts',
    {
      method: 'POST',
      body: JSON.stringify({ prompt, ...(conversationId ? { conversationId } : {}) }),
    },
  );
  if (!accepted?.answerId || !accepted.conversationId) {
    throw new ChatApiError(502, 'NO_ANSWER_ID', 'POST /prompts answered without an answerId');
  }
  return {
    answerId: accepted.answerId,
    conversationId: accepted.conversationId,
    ...(typeof accepted.deadlineAt === 'string' ? { deadlineAt: accepted.deadlineAt } : {}),
  };
};

/** An answer as `GET /answers/{id}` returns it. */
export interface Answer {
  answerId: string;
  status: 'PENDING' | 'STREAMING' | 'COMPLETED' | 'FAILED';
  text?: string;
  reason?: string;
  /** When chat-api stops waiting for the answer (ISO instant). */
  deadlineAt?: string;
  /** Set on the timed-out answer `awaitAnswer` makes itself when chat-api could not be reached at the deadline. */
  decidedByClient?: true;
  [key: string]: unknown;
}

/** `GET /answers/{answerId}`. */
export const getAnswer = (stack: Pick<StackInfo, 'chatApiUrl'>, session: Session, answerId: string) =>
  api<Answer>(stack, session, `/answers/${encodeURIComponent(answerId)}`);

/** `GET /answers?conversationId=` → the caller's answers in one conversation, oldest first. */
export const listAnswers = (
  stack: Pick<StackInfo, 'chatApiUrl'>,
  session: Session,
  conversationId: string,
  page: { limit?: number; cursor?: string } = {},
) =>
  api<{ conversationId: string; answers: Answer[]; nextCursor?: string }>(
    stack,
    session,
    `/answers?${new URLSearchParams({ conversationId, ...(page.limit ? { limit: String(page.limit) } : {}), ...(page.cursor ? { cursor: page.cursor } : {}) })}`,
  );

/** `GET /conversations` → the caller's conversations, the most recent prompt first. */
export const listConversations = (
  stack: Pick<StackInfo, 'chatApiUrl'>,
  session: Session,
  page: { limit?: number; cursor?: string } = {},
) =>
  api<{
    conversations: { conversationId: string; title: string; createdAt: string; lastPromptAt: string }[];
    nextCursor?: string;
  }>(
    stack,
    session,
    `/conversations?${new URLSearchParams({ ...(page.limit ? { limit: String(page.limit) } : {}), ...(page.cursor ? { cursor: page.cursor } : {}) })}`,
  );

/**
 * chat-api's usage API as an admin: `GET /usage` (no `tenantId`: the tenant of the caller's token)
 * or `GET /usage/tenants/{tenantId}` (platform admins). Throws ChatApiError for a refusal.
 */
export const getUsage = (
  stack: Pick<StackInfo, 'chatApiUrl'>,
  session: Pick<Session, 'idToken'>,
  options: { tenantId?: string; month?: string } = {},
) =>
  api<TenantUsageView>(
    stack,
    session,
    `${options.tenantId ? `/usage/tenants/${encodeURIComponent(options.tenantId)}` : '/usage'}${
      options.month ? `?${new URLSearchParams({ month: options.month })}` : ''
    }`,
  );

/**
 * The local system's metrics of a tenant (its metric lines collected, `local-metrics.ts`): the
 * caller's own tenant (`GET /metrics`, its admins) or any tenant (platform admins).
 */
export const getLocalMetrics = (
  stack: Pick<StackInfo, 'metricsUrl'>,
  session: Pick<Session, 'idToken'>,
  tenantId?: string,
) =>
  api<TenantMetricsView>(
    { chatApiUrl: stack.metricsUrl },
    session,
    tenantId ? `/metrics/tenants/${encodeURIComponent(tenantId)}` : '/metrics',
  );

/** `GET /usage/tenants` (platform admins): one page of every tenant's month. */
export const listTenantsUsage = (
  stack: Pick<StackInfo, 'chatApiUrl'>,
  session: Pick<Session, 'idToken'>,
  page: { month?: string; limit?: number; cursor?: string } = {},
) =>
  api<TenantsUsagePage>(
    stack,
    session,
    `/usage/tenants?${new URLSearchParams({
      ...(page.month ? { month: page.month } : {}),
      ...(page.limit ? { limit: String(page.limit) } : {}),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    })}`,
  );

/** A WebSocket message pushed by chat-api. */
export type PushMessage =
  | {
      type: 'answer.chunk';
      answerId: string;
      /** This chunk's position: pushes may arrive out of order (or not at all). */
      seq: number;
      /** This chunk's text. */
      delta: string;
    }
  | { type: 'answer.completed'; answerId: string; text: string }
  | { type: 'answer.failed'; answerId: string; reason: string };

/** Opens the chat WebSocket (`?token=`) and collects every message it receives. */
export const openSocket = async (stack: Pick<StackInfo, 'webSocketUrl'>, session: Session) => {
  const socket = new WebSocket(`${stack.webSocketUrl}?token=${encodeURIComponent(session.idToken)}`);
  const messages: PushMessage[] = [];
  const listeners = new Set<(message: PushMessage) => void>();
  socket.on('message', (data) => {
    try {
      const message = JSON.parse(data.toString()) as PushMessage;
      messages.push(message);
      for (const listener of listeners) listener(message);
    } catch {
      // not ours
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)),
    );
  });
  return {
    messages,
    onMessage: (listener: (message: PushMessage) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
};

/** How long after the deadline the client asks chat-api once more before it gives up on its own. */
const DEADLINE_GRACE_MS = 2000;

/**
 * Waits for an answer to finish: streamed chunks are put in `seq` order and the text they add
 * without a gap goes to `onChunk`; resolves with the final answer (COMPLETED or FAILED — the
 * completion's text is authoritative). Polls `GET /answers/{id}` as a fallback. It stops waiting at
 * the answer's deadline (`deadlineAt`, else `timeoutMs`): it asks chat-api once more (a read past
 * the deadline ends the answer, FAILED "timed out") and resolves with what it says, or with a
 * timed-out answer of its own when chat-api cannot be reached.
 */
export const awaitAnswer = (
  stack: Pick<StackInfo, 'chatApiUrl'>,
  session: Session,
  answerId: string,
  options: {
    socket?: Awaited<ReturnType<typeof openSocket>>;
    onChunk?: (text: string) => void;
    /** The answer's deadline from `POST /prompts` (ISO instant). */
    deadlineAt?: string;
    /** Without a deadline: give up (reject) after this long (default 60 s). */
    timeoutMs?: number;
  } = {},
): Promise<Answer> =>
  new Promise<Answer>((resolve, reject) => {
    // With a socket, poll only as a fallback after a while of silence; without one, poll at once.
    const pollEveryMs = options.socket ? 3000 : 500;
    let done = false;
    let pollTimer: NodeJS.Timeout | undefined;
    const pending = new Map<number, string>();
    let nextSeq = 0;
    const finish = (outcome: { answer: Answer } | { error: unknown }) => {
      if (done) return;
      done = true;
      clearTimeout(pollTimer);
      clearTimeout(deadline);
      stop?.();
      if ('answer' in outcome) resolve(outcome.answer);
      else reject(outcome.error);
    };
    const stop = options.socket?.onMessage((message) => {
      if (message.answerId !== answerId) return;
      if (message.type === 'answer.chunk' && message.seq >= nextSeq) {
        pending.set(message.seq, message.delta);
        let added = '';
        for (let piece = pending.get(nextSeq); piece !== undefined; piece = pending.get(nextSeq)) {
          added += piece;
          pending.delete(nextSeq);
          nextSeq += 1;
        }
        if (added) options.onChunk?.(added);
      }
      if (message.type === 'answer.completed')
        finish({ answer: { answerId, status: 'COMPLETED', text: message.text } });
      if (message.type === 'answer.failed')
        finish({ answer: { answerId, status: 'FAILED', reason: message.reason } });
    });
    const atDeadline = async () => {
      try {
        const answer = await getAnswer(stack, session, answerId);
        if (answer.status === 'COMPLETED' || answer.status === 'FAILED') return finish({ answer });
      } catch {
        // chat-api unreachable: the client's own verdict below
      }
      finish({
        answer: {
          answerId,
          status: 'FAILED',
          reason: 'No answer arrived before its deadline (timed out). Please try again.',
          decidedByClient: true,
        },
      });
    };
    const deadlineMs = options.deadlineAt ? Date.parse(options.deadlineAt) - Date.now() : undefined;
    const deadline =
      deadlineMs === undefined
        ? setTimeout(
            () => finish({ error: new Error(`Answer ${answerId} did not finish in time`) }),
            options.timeoutMs ?? 60_000,
          )
        : setTimeout(() => void atDeadline(), Math.max(0, deadlineMs) + DEADLINE_GRACE_MS);
    const poll = async () => {
      try {
        const answer = await getAnswer(stack, session, answerId);
        if (answer.status === 'COMPLETED' || answer.status === 'FAILED') return finish({ answer });
      } catch (error) {
        // A refusal is final (404: not this caller's answer); a 5xx, 429 or network error is
        // transient and the next poll (or the deadline) decides.
        if (error instanceof ChatApiError && error.status < 500 && error.status !== 429) {
          return finish({ error });
        }
      }
      if (!done) pollTimer = setTimeout(poll, pollEveryMs);
    };
    pollTimer = setTimeout(poll, pollEveryMs);
  });

export { type AdminApiResponse, adminRequest } from './admin-client';
