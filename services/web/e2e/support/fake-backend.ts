import { randomUUID } from 'node:crypto';
import type { TenantUsageView } from '@tenant-assistant/contracts/http';
import { generateSecret, verifySync } from 'otplib';
import type { BrowserContext, Route, WebSocketRoute } from 'playwright-core';

/**
 * A fake Cognito + chat-api behind Playwright routes, to check the UI in a real browser without the
 * local stack. It speaks the same wire formats: Cognito's JSON 1.1 API (as amazon-cognito-identity-js
 * calls it), chat-api's HTTP routes and error envelope, and its WebSocket messages.
 */
export interface FakeUser {
  readonly username: string;
  password: string;
  readonly tenantId: string;
  readonly sub: string;
  mustChangePassword: boolean;
  totpSecret?: string;
  pendingSecret?: string;
  /** Cognito groups, carried in the ID token's `cognito:groups` (admin roles). */
  groups?: string[];
}

export type FakeReply =
  | { readonly chunks: readonly string[]; readonly order?: readonly number[] }
  | { readonly fail: string }
  /** Never answers: past its deadline (`deadlineMs`) the answer reads FAILED, timed out, as chat-api's does. */
  | { readonly stall: true; readonly deadlineMs: number }
  | { readonly status: number; readonly error: { code: string; message: string } };

export interface FakeBackendOptions {
  readonly cognitoOrigin: string;
  readonly apiUrl: string;
  readonly webSocketUrl: string;
  readonly users: FakeUser[];
  /** How the assistant answers a prompt. */
  readonly reply: (prompt: string, user: FakeUser) => FakeReply;
  /** Delay between pushed chunks (ms). */
  readonly chunkDelayMs?: number;
  /** `GET /usage?month=` for an admin; `undefined` for anyone else (403, as chat-api refuses them). */
  readonly usage?: (user: FakeUser, month: string | null) => TenantUsageView | undefined;
}

/** chat-api's reason for an answer that did not end before its deadline. */
export const FAKE_TIMED_OUT_REASON = 'The assistant took too long to answer (timed out). Please try again.';
/** The deadline of an answer that is not told otherwise (chat-api's default: 240 s). */
const DEFAULT_DEADLINE_MS = 240_000;

/** The request fields of the Cognito operations the fake answers. */
interface CognitoRequest {
  AuthFlow?: string;
  AuthParameters?: Record<string, string>;
  Session?: string;
  ChallengeName?: string;
  ChallengeResponses?: Record<string, string>;
  AccessToken?: string;
  UserCode?: string;
}

interface StoredAnswer {
  answerId: string;
  conversationId: string;
  sub: string;
  prompt: string;
  status: 'PENDING' | 'STREAMING' | 'COMPLETED' | 'FAILED';
  text: string;
  reason?: string;
  createdAt: string;
  deadlineAt: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulid = () =>
  `01J${Array.from({ length: 23 }, () => CROCKFORD[Math.floor(Math.random() * 32)]).join('')}`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const fakeIdToken = (user: FakeUser, expSeconds = Math.floor(Date.now() / 1000) + 3600) =>
  `${b64({ alg: 'RS256', kid: 'fake' })}.${b64({
    sub: user.sub,
    'cognito:username': user.username,
    'custom:tenantId': user.tenantId,
    ...(user.groups ? { 'cognito:groups': user.groups } : {}),
    token_use: 'id',
    iat: Math.floor(Date.now() / 1000),
    exp: expSeconds,
  })}.c2ln`;

export const subOfToken = (token: string | null | undefined): string | undefined => {
  try {
    const payload = JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
};

export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'GET,POST,PATCH,DELETE,OPTIONS',
};

export const fakeUser = (username: string, tenantId: string, password = 'Temp-Passw0rd!'): FakeUser => ({
  username,
  tenantId,
  password,
  sub: randomUUID(),
  mustChangePassword: true,
});

/** Installs the fake on a browser context; returns what it saw and a way to drop sockets. */
export const installFakeBackend = async (context: BrowserContext, options: FakeBackendOptions) => {
  const answers = new Map<string, StoredAnswer>();
  const sockets = new Map<string, Set<WebSocketRoute>>();
  const sessions = new Map<string, FakeUser>();
  const seen = { cognito: [] as string[], api: [] as string[], sockets: [] as string[] };

  const userByToken = (token: string | undefined) =>
    options.users.find((user) => user.sub === subOfToken(token));
  const tokens = (user: FakeUser) => ({
    AuthenticationResult: {
      IdToken: fakeIdToken(user),
      AccessToken: fakeIdToken(user),
      RefreshToken: `refresh-${user.sub}`,
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    },
  });
  const challenge = (user: FakeUser, name: string) => {
    const session = randomUUID();
    sessions.set(session, user);
    return {
      ChallengeName: name,
      Session: session,
      ChallengeParameters: { USER_ID_FOR_SRP: user.username, userAttributes: '{}', requiredAttributes: '[]' },
    };
  };
  const afterPassword = (user: FakeUser) =>
    user.mustChangePassword
      ? challenge(user, 'NEW_PASSWORD_REQUIRED')
      : user.totpSecret
        ? challenge(user, 'SOFTWARE_TOKEN_MFA')
        : tokens(user);

  const cognito = async (route: Route) => {
    const request = route.request();
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
    const operation = (request.headers()['x-amz-target'] ?? '').split('.').pop() ?? '';
    const body = request.postDataJSON() as CognitoRequest;
    seen.cognito.push(operation);
    const ok = (json: unknown) =>
      route.fulfill({
        status: 200,
        headers: CORS,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify(json),
      });
    const fail = (type: string, message: string) =>
      route.fulfill({
        status: 400,
        headers: CORS,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({ __type: type, message }),
      });
    const byAccess = () => userByToken(body.AccessToken);
    switch (operation) {
      case 'InitiateAuth': {
        if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
          const user = options.users.find(
            (candidate) => `refresh-${candidate.sub}` === body.AuthParameters?.REFRESH_TOKEN,
          );
          return user
            ? ok({ AuthenticationResult: { ...tokens(user).AuthenticationResult, RefreshToken: undefined } })
            : fail('NotAuthorizedException', 'Invalid Refresh Token');
        }
        const user = options.users.find((candidate) => candidate.username === body.AuthParameters?.USERNAME);
        if (!user || user.password !== body.AuthParameters?.PASSWORD)
          return fail('NotAuthorizedException', 'Incorrect username or password.');
        return ok(afterPassword(user));
      }
      case 'RespondToAuthChallenge': {
        const user = sessions.get(body.Session ?? '');
        if (!user) return fail('NotAuthorizedException', 'Invalid session for the user.');
        if (body.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
          user.password = body.ChallengeResponses?.NEW_PASSWORD ?? '';
          user.mustChangePassword = false;
          return ok(user.totpSecret ? challenge(user, 'SOFTWARE_TOKEN_MFA') : tokens(user));
        }
        if (body.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
          const code = body.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE ?? '';
          if (
            !user.totpSecret ||
            !verifySync({ secret: user.totpSecret, token: code, epochTolerance: 30 }).valid
          ) {
            return fail('CodeMismatchException', 'Invalid code received for user');
          }
          return ok(tokens(user));
        }
        return fail('InvalidParameterException', 'Unsupported challenge');
      }
      case 'AssociateSoftwareToken': {
        const user = byAccess();
        if (!user) return fail('NotAuthorizedException', 'Invalid Access Token');
        user.pendingSecret = generateSecret();
        return ok({ SecretCode: user.pendingSecret });
      }
      case 'VerifySoftwareToken': {
        const user = byAccess();
        if (!user?.pendingSecret) return fail('NotAuthorizedException', 'Invalid Access Token');
        if (
          !verifySync({ secret: user.pendingSecret, token: body.UserCode ?? '', epochTolerance: 30 }).valid
        ) {
          return fail('EnableSoftwareTokenMFAException', 'Code mismatch');
        }
        user.totpSecret = user.pendingSecret;
        return ok({ Status: 'SUCCESS' });
      }
      case 'SetUserMFAPreference':
      case 'GlobalSignOut':
        return byAccess() ? ok({}) : fail('NotAuthorizedException', 'Invalid Access Token');
      default:
        return fail('InvalidParameterException', `Fake Cognito does not know ${operation}`);
    }
  };

  const push = (sub: string, message: unknown) => {
    for (const socket of sockets.get(sub) ?? []) socket.send(JSON.stringify(message));
  };

  const stream = async (answer: StoredAnswer, reply: FakeReply) => {
    const delay = options.chunkDelayMs ?? 120;
    await new Promise((resolve) => setTimeout(resolve, delay));
    if ('fail' in reply) {
      Object.assign(answer, { status: 'FAILED', reason: reply.fail });
      return push(answer.sub, { type: 'answer.failed', answerId: answer.answerId, reason: reply.fail });
    }
    if (!('chunks' in reply)) return;
    // Like chat-api: each chunk is pushed as it arrives (in `order`) with its own seq and text;
    // the client puts them in seq order. The completion carries the whole text.
    const order = reply.order ?? reply.chunks.map((_, index) => index);
    for (const seq of order) {
      answer.status = 'STREAMING';
      push(answer.sub, {
        type: 'answer.chunk',
        answerId: answer.answerId,
        seq,
        delta: reply.chunks[seq] ?? '',
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    Object.assign(answer, { status: 'COMPLETED', text: reply.chunks.join('') });
    push(answer.sub, { type: 'answer.completed', answerId: answer.answerId, text: answer.text });
  };

  /** Like chat-api's reads: an open answer past its deadline is ended (FAILED, timed out). */
  const settle = (answer: StoredAnswer) => {
    if (
      (answer.status === 'PENDING' || answer.status === 'STREAMING') &&
      Date.parse(answer.deadlineAt) <= Date.now()
    ) {
      Object.assign(answer, { status: 'FAILED', reason: FAKE_TIMED_OUT_REASON });
    }
    return answer;
  };
  const visible = ({ sub: _, ...answer }: StoredAnswer) => answer;

  const api = async (route: Route) => {
    const request = route.request();
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
    const url = new URL(request.url());
    seen.api.push(`${request.method()} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) =>
      route.fulfill({ status, headers: CORS, contentType: 'application/json', body: JSON.stringify(body) });
    const user = userByToken(/^Bearer (.+)$/.exec(request.headers().authorization ?? '')?.[1]);
    if (!user) return json(401, { message: 'Unauthorized' });
    if (request.method() === 'POST' && url.pathname === '/prompts') {
      const { prompt, conversationId } = request.postDataJSON() as {
        prompt: string;
        conversationId?: string;
      };
      const reply = options.reply(prompt, user);
      if ('status' in reply) return json(reply.status, { error: reply.error });
      const now = Date.now();
      const answer: StoredAnswer = {
        answerId: `${user.sub}.${ulid()}`,
        conversationId: conversationId ?? ulid(),
        sub: user.sub,
        prompt,
        status: 'PENDING',
        text: '',
        createdAt: new Date(now).toISOString(),
        deadlineAt: new Date(now + ('stall' in reply ? reply.deadlineMs : DEFAULT_DEADLINE_MS)).toISOString(),
      };
      answers.set(answer.answerId, answer);
      if (!('stall' in reply)) void stream(answer, reply);
      return json(202, {
        answerId: answer.answerId,
        conversationId: answer.conversationId,
        deadlineAt: answer.deadlineAt,
      });
    }
    if (request.method() === 'GET' && url.pathname === '/conversations') {
      // The caller's own, newest first, each titled with its first prompt.
      const own = [...answers.values()].filter((answer) => answer.sub === user.sub);
      const byConversation = new Map<
        string,
        { conversationId: string; title: string; createdAt: string; lastPromptAt: string }
      >();
      for (const answer of own.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
        const existing = byConversation.get(answer.conversationId);
        byConversation.set(answer.conversationId, {
          conversationId: answer.conversationId,
          title: existing?.title ?? answer.prompt,
          createdAt: existing?.createdAt ?? answer.createdAt,
          lastPromptAt: answer.createdAt,
        });
      }
      const conversations = [...byConversation.values()].sort((a, b) =>
        b.lastPromptAt.localeCompare(a.lastPromptAt),
      );
      return json(200, { conversations });
    }
    if (request.method() === 'GET' && url.pathname === '/answers') {
      const conversationId = url.searchParams.get('conversationId');
      const items = [...answers.values()].filter(
        (answer) => answer.sub === user.sub && answer.conversationId === conversationId,
      );
      if (items.length === 0)
        return json(404, { error: { code: 'CONVERSATION_NOT_FOUND', message: 'Conversation not found' } });
      return json(200, { conversationId, answers: items.map((answer) => visible(settle(answer))) });
    }
    if (request.method() === 'GET' && url.pathname === '/usage') {
      const view = options.usage?.(user, url.searchParams.get('month'));
      if (!view)
        return json(403, {
          error: { code: 'ADMIN_ROLE_REQUIRED', message: 'This action requires the tenant admin role' },
        });
      return json(200, view);
    }
    const match = /^\/answers\/([^/]+)$/.exec(url.pathname);
    if (request.method() === 'GET' && match) {
      const answer = answers.get(decodeURIComponent(match[1] ?? ''));
      if (!answer || answer.sub !== user.sub)
        return json(404, { error: { code: 'ANSWER_NOT_FOUND', message: 'Answer not found' } });
      return json(200, visible(settle(answer)));
    }
    return json(404, { error: { code: 'NOT_FOUND', message: 'Not found' } });
  };

  await context.route((url) => url.origin === options.cognitoOrigin, cognito);
  await context.route((url) => url.origin === new URL(options.apiUrl).origin, api);
  await context.routeWebSocket(
    (url) => url.href.startsWith(options.webSocketUrl),
    (socket) => {
      const user = userByToken(new URL(socket.url()).searchParams.get('token') ?? undefined);
      seen.sockets.push(user ? user.username : 'refused');
      if (!user) {
        void socket.close({ code: 1008, reason: 'Unauthorized' });
        return;
      }
      const mine = sockets.get(user.sub) ?? new Set();
      mine.add(socket);
      sockets.set(user.sub, mine);
      socket.onClose(() => mine.delete(socket));
    },
  );

  return {
    seen,
    answers,
    /** Closes every open socket (a lost connection). */
    dropSockets: async () => {
      for (const set of sockets.values()) for (const socket of set) await socket.close({ code: 1006 });
      sockets.clear();
    },
    /** Pushes any message to a user's sockets (e.g. a forged one about another user's answer). */
    push,
  };
};
