import type { AnswerId, UserId } from '@tenant-assistant/tenant-context';
import { type Answer, type AnswerKey, FINAL_STATUSES } from '../../src/answers/model';
import { AnswerAlreadyExistsError, AnswerVersionConflictError, ConnectionGoneError } from '../../src/errors';
import type {
  AdmissionRequest,
  AnswersRepository,
  Connection,
  ConnectionPusher,
  ConnectionsRepository,
  PromptLimiter,
  ServerMessage,
} from '../../src/ports';

const keyOf = (key: AnswerKey) => `${key.userId}/${key.answerId}`;
/** Lets other pending promises run, like a network round trip would. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * An in-memory answers table with the same conditions as the DynamoDB adapter (conditional create,
 * version check on progress, once-only completion/failure of an open answer of the same tenant).
 * Every call yields, so concurrent callers interleave as they would against DynamoDB.
 */
export const memoryAnswers = () => {
  const items = new Map<string, Answer>();
  const repository: AnswersRepository = {
    async create(answer) {
      await tick();
      if (items.has(keyOf(answer))) throw new AnswerAlreadyExistsError();
      items.set(keyOf(answer), structuredClone(answer));
    },
    async get(key) {
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
    async saveProgress(key, expectedVersion, progress, now) {
      await tick();
      const answer = items.get(keyOf(key));
      if (!answer || answer.version !== expectedVersion || FINAL_STATUSES.includes(answer.status)) {
        throw new AnswerVersionConflictError();
      }
      items.set(keyOf(key), {
        ...answer,
        ...structuredClone(progress),
        status: 'STREAMING',
        version: answer.version + 1,
        updatedAt: now.toISOString(),
      });
    },
    async complete(key, tenantId, text, now) {
      await tick();
      const answer = items.get(keyOf(key));
      if (!answer || answer.tenantId !== tenantId || FINAL_STATUSES.includes(answer.status)) return false;
      const at = now.toISOString();
      items.set(keyOf(key), {
        ...answer,
        status: 'COMPLETED',
        text,
        pendingChunks: {},
        version: answer.version + 1,
        updatedAt: at,
        completedAt: at,
      });
      return true;
    },
    async fail(key, tenantId, reason, now) {
      await tick();
      const answer = items.get(keyOf(key));
      if (!answer || answer.tenantId !== tenantId || FINAL_STATUSES.includes(answer.status)) return false;
      items.set(keyOf(key), {
        ...answer,
        status: 'FAILED',
        reason,
        pendingChunks: {},
        version: answer.version + 1,
        updatedAt: now.toISOString(),
      });
      return true;
    },
  };
  return {
    repository,
    items,
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
