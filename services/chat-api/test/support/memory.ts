import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';
import { type Answer, type AnswerKey, isOpen, TIMED_OUT_REASON } from '../../src/answers/model';
import { AnswerAlreadyExistsError, ConnectionGoneError } from '../../src/errors';
import type {
  AdmissionRequest,
  AnswersRepository,
  Connection,
  ConnectionPusher,
  ConnectionsRepository,
  Conversation,
  PromptLimiter,
  ServerMessage,
} from '../../src/ports';

const keyOf = (key: AnswerKey) => `${key.userId}/${key.answerId}`;
/** Lets other pending promises run, like a network round trip would. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * An in-memory answers table with the same conditions as the DynamoDB adapter (conditional create,
 * chunk/completion/failure only of an open answer of the same tenant before its deadline, expiry
 * only after it). Every call yields, so concurrent callers interleave as they would against DynamoDB.
 */
export const memoryAnswers = () => {
  const items = new Map<string, Answer>();
  const conversations = new Map<string, Conversation>();
  const writable = (key: AnswerKey, tenantId: TenantId, now: Date) => {
    const answer = items.get(keyOf(key));
    if (!answer || answer.tenantId !== tenantId || !isOpen(answer)) return undefined;
    return answer.deadlineAt > now.toISOString() ? answer : undefined;
  };
  const calls = { saveChunk: 0, complete: 0, fail: 0, expire: 0, get: 0 };
  /** One write to an open answer of the tenant before its deadline (false when it is not writable). */
  const change = async (
    call: 'saveChunk' | 'complete' | 'fail',
    key: AnswerKey,
    tenantId: TenantId,
    now: Date,
    changes: (answer: Answer) => Partial<Answer>,
  ) => {
    calls[call] += 1;
    await tick();
    const answer = writable(key, tenantId, now);
    if (!answer) return false;
    items.set(keyOf(key), { ...answer, ...changes(answer), updatedAt: now.toISOString() } as Answer);
    return true;
  };
  const repository: AnswersRepository = {
    async create(answer) {
      await tick();
      if (items.has(keyOf(answer))) throw new AnswerAlreadyExistsError();
      items.set(keyOf(answer), structuredClone(answer));
      const conversationKey = `${answer.userId}/${answer.conversationId}`;
      const existing = conversations.get(conversationKey);
      conversations.set(conversationKey, {
        userId: answer.userId,
        tenantId: answer.tenantId,
        conversationId: answer.conversationId,
        title: existing?.title ?? answer.prompt.slice(0, 200),
        createdAt: existing?.createdAt ?? answer.createdAt,
        lastPromptAt: answer.createdAt,
      });
    },
    async get(key) {
      calls.get += 1;
      await tick();
      const answer = items.get(keyOf(key));
      return answer && structuredClone(answer);
    },
    async listByConversation(userId, conversationId, page) {
      await tick();
      const all = [...items.values()]
        .filter((answer) => answer.userId === userId && answer.conversationId === conversationId)
        .sort((a, b) => a.answerId.localeCompare(b.answerId))
        .filter((answer) => page.after === undefined || answer.answerId > page.after);
      const answers = all.slice(0, page.limit);
      const last = answers.at(-1);
      return { answers, ...(all.length > page.limit && last ? { lastAnswerId: last.answerId } : {}) };
    },
    saveChunk: (key, tenantId, seq, text, now) =>
      change('saveChunk', key, tenantId, now, (answer) => ({
        status: 'STREAMING',
        chunks: { ...answer.chunks, [String(seq)]: text },
      })),
    complete: (key, tenantId, text, now) =>
      change('complete', key, tenantId, now, () => ({
        status: 'COMPLETED',
        text,
        chunks: {},
        completedAt: now.toISOString(),
      })),
    fail: (key, tenantId, reason, now) =>
      change('fail', key, tenantId, now, () => ({ status: 'FAILED', reason, chunks: {} })),
    async expire(key, tenantId, now) {
      calls.expire += 1;
      await tick();
      const answer = items.get(keyOf(key));
      if (!answer || answer.tenantId !== tenantId || !isOpen(answer)) return false;
      if (answer.deadlineAt > now.toISOString()) return false;
      items.set(keyOf(key), {
        ...answer,
        status: 'FAILED',
        reason: TIMED_OUT_REASON,
        chunks: {},
        updatedAt: now.toISOString(),
      });
      return true;
    },
    async listOverdue(now, limit) {
      await tick();
      return [...items.values()]
        .filter((answer) => isOpen(answer) && answer.deadlineAt <= now.toISOString())
        .slice(0, limit)
        .map(({ userId, answerId, tenantId }) => ({ userId, answerId, tenantId }));
    },
    async listConversations(userId, page) {
      await tick();
      const all = [...conversations.values()]
        .filter((conversation) => conversation.userId === userId)
        .sort((a, b) => b.lastPromptAt.localeCompare(a.lastPromptAt))
        .filter(
          (conversation) =>
            page.after === undefined ||
            conversation.lastPromptAt < page.after.lastPromptAt ||
            (conversation.lastPromptAt === page.after.lastPromptAt &&
              conversation.conversationId < page.after.conversationId),
        );
      const list = all.slice(0, page.limit);
      const last = list.at(-1);
      return {
        conversations: list,
        ...(all.length > page.limit && last
          ? { last: { conversationId: last.conversationId, lastPromptAt: last.lastPromptAt } }
          : {}),
      };
    },
  };
  return {
    repository,
    items,
    conversations,
    /** How often each write (and read) was called (test assertions). */
    calls,
    /** The stored answer (test assertions). */
    stored: (userId: UserId | string, answerId: AnswerId | string) => items.get(`${userId}/${answerId}`),
  };
};

/** In-memory connections table. */
export const memoryConnections = (initial: Connection[] = []) => {
  const items = new Map<string, Connection>(
    initial.map((connection) => [connection.connectionId, connection]),
  );
  const repository: ConnectionsRepository = {
    async put(connection) {
      items.set(connection.connectionId, { ...connection });
    },
    async delete(connectionId) {
      items.delete(connectionId);
    },
    async listByUser(userId) {
      return [...items.values()]
        .filter((connection) => connection.userId === userId)
        .map(({ connectionId, tenantId }) => ({ connectionId, tenantId }));
    },
  };
  return { repository, items };
};

/** A pusher that records messages; connections in `gone` answer 410. */
export const recordingPusher = (gone: readonly string[] = []) => {
  const sent: { connectionId: string; message: ServerMessage }[] = [];
  const pusher: ConnectionPusher = {
    async post(connectionId, message) {
      if (gone.includes(connectionId)) throw new ConnectionGoneError();
      sent.push({ connectionId, message: structuredClone(message) });
    },
  };
  return { pusher, sent };
};

/** A limiter that admits everything and records the slots it frees (`tenantId/answerId`). */
export const recordingLimiter = () => {
  const released: string[] = [];
  const admitted: AdmissionRequest[] = [];
  const limiter: PromptLimiter = {
    async admit(request) {
      await tick();
      admitted.push(request);
    },
    async release(tenantId, answerId) {
      await tick();
      released.push(`${tenantId}/${answerId}`);
    },
  };
  return { limiter, released, admitted };
};
