/**
 * Drives prompts through the running local system at a fixed concurrency and counts what became of
 * each: the one home of the load driver for `scripts/bench` and the load test. Every count is of
 * outcomes as chat-api reports them; timings are measured, never asserted here.
 */
import { isOwnedBy } from '@tenant-assistant/tenant-context';
import { awaitAnswer, ChatApiError, openSocket, type Session, signIn, submitPrompt } from './client';
import type { StackInfo } from './state';

export const LOAD_PROMPTS = ['What is your return policy?', 'Which orders did I place?'];

/** A signed-in user with an open WebSocket that counts pushes for answers that are not theirs. */
export interface LoadUser {
  username: string;
  session: Session;
  socket: Awaited<ReturnType<typeof openSocket>>;
  wrongUserPushes: number;
}

/**
 * Signs the users in and opens their sockets one at a time, as clients that arrive over a while
 * would: the driver measures prompts, not a burst of cold sign-ins. A socket refused with a 5xx is
 * reconnected (twice at most, after a pause), as the web client does.
 */
export const signInLoadUsers = async (
  info: StackInfo,
  usernames: string[],
  password: string,
): Promise<LoadUser[]> => {
  const users: LoadUser[] = [];
  for (const username of usernames) {
    const session = await signIn(info, username, password);
    const socket = await openSocketReconnecting(info, session);
    const user: LoadUser = { username, session, socket, wrongUserPushes: 0 };
    // Every push must be for one of this user's own answers (answerId = <sub>.<ulid>).
    const sub = String(
      JSON.parse(Buffer.from(session.idToken.split('.')[1] ?? '', 'base64url').toString()).sub,
    );
    socket.onMessage((message) => {
      if (!isOwnedBy(message.answerId, sub)) user.wrongUserPushes += 1;
    });
    users.push(user);
  }
  return users;
};

const openSocketReconnecting = async (info: StackInfo, session: Session, attempts = 3) => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openSocket(info, session);
    } catch (error) {
      const refusedBy5xx = error instanceof Error && /WebSocket refused: HTTP 5\d\d/.test(error.message);
      if (!refusedBy5xx || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
};

export interface LoadOutcome {
  /** Prompts sent (accepted or not). */
  sent: number;
  /** Prompts accepted (202 with an answerId). */
  accepted: number;
  completed: number;
  /** Ended FAILED by the system, with a reason. */
  failed: number;
  /** Accepted, but no final answer from chat-api by the deadline (the client gave up), or a refusal while waiting. */
  lost: number;
  /** Answered by chat-api but neither COMPLETED nor FAILED. */
  unfinished: number;
  /** Pushes a user received for someone else's answer during the run. */
  wrongUser: number;
  /** Refused or failed `POST /prompts`, by status ('network' when no HTTP answer came). */
  errors: Map<string, number>;
  /** Submit → final answer, per finished prompt (ms). */
  latencies: number[];
  seconds: number;
}

/** `total` prompts round-robin over `users`, `concurrency` at a time; each waits for its answer until its deadline. */
export const runLoad = async (
  info: StackInfo,
  users: LoadUser[],
  options: { total: number; concurrency: number; prompts?: string[] },
): Promise<LoadOutcome> => {
  const prompts = options.prompts ?? LOAD_PROMPTS;
  const outcome: LoadOutcome = {
    sent: 0,
    accepted: 0,
    completed: 0,
    failed: 0,
    lost: 0,
    unfinished: 0,
    wrongUser: 0,
    errors: new Map(),
    latencies: [],
    seconds: 0,
  };
  const wrongBefore = users.reduce((sum, u) => sum + u.wrongUserPushes, 0);
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    for (let index = next++; index < options.total; index = next++) {
      const user = users[index % users.length];
      if (!user) return;
      outcome.sent += 1;
      const t0 = performance.now();
      let accepted: Awaited<ReturnType<typeof submitPrompt>>;
      try {
        accepted = await submitPrompt(info, user.session, prompts[index % prompts.length] ?? '');
      } catch (error) {
        const key = error instanceof ChatApiError ? String(error.status) : 'network';
        outcome.errors.set(key, (outcome.errors.get(key) ?? 0) + 1);
        continue;
      }
      outcome.accepted += 1;
      try {
        const answer = await awaitAnswer(info, user.session, accepted.answerId, {
          socket: user.socket,
          ...(accepted.deadlineAt ? { deadlineAt: accepted.deadlineAt } : { timeoutMs: 300_000 }),
        });
        if (answer.decidedByClient) outcome.lost += 1;
        else if (answer.status === 'COMPLETED') outcome.completed += 1;
        else if (answer.status === 'FAILED') outcome.failed += 1;
        else outcome.unfinished += 1;
        if (!answer.decidedByClient) outcome.latencies.push(performance.now() - t0);
      } catch {
        outcome.lost += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  outcome.seconds = (Date.now() - started) / 1000;
  outcome.wrongUser = users.reduce((sum, u) => sum + u.wrongUserPushes, 0) - wrongBefore;
  return outcome;
};
