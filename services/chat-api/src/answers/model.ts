import { type AnswerStatus, type AnswerView, isFinalStatus } from '@tenant-assistant/contracts/http';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';

export {
  ANSWER_STATUSES,
  type AnswerStatus,
  type AnswerView,
  FINAL_STATUSES,
} from '@tenant-assistant/contracts/http';

/** Most chunks kept while waiting for an earlier, missing one; later chunks are dropped (completion carries the full text). */
export const MAX_PENDING_CHUNKS = 200;

/** A prompt and its answer as stored (answers table, partition `userId`, sort `answerId`). */
export interface Answer {
  readonly userId: UserId;
  readonly answerId: AnswerId;
  readonly tenantId: TenantId;
  readonly conversationId: string;
  readonly prompt: string;
  readonly status: AnswerStatus;
  /** The answer so far: every chunk from seq 0 to `lastSeq`, or the completed text. */
  readonly text: string;
  /** Highest chunk seq applied without a gap; -1 before the first chunk. */
  readonly lastSeq: number;
  /** Chunks that arrived ahead of a missing one, by seq, applied when the gap is filled. */
  readonly pendingChunks: Readonly<Record<string, string>>;
  /** A safe-to-show reason when FAILED. */
  readonly reason?: string;
  /** Incremented on every change (optimistic concurrency). */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
  /** Epoch seconds after which DynamoDB deletes the item (TTL). */
  readonly expiresAt: number;
}

/** The primary key of an answer. */
export interface AnswerKey {
  readonly userId: UserId;
  readonly answerId: AnswerId;
}

/** The caller's view of a stored answer (no owner, tenant or bookkeeping fields). */
export const toAnswerView = (answer: Answer): AnswerView => ({
  answerId: answer.answerId,
  conversationId: answer.conversationId,
  prompt: answer.prompt,
  status: answer.status,
  text: answer.text,
  ...(answer.reason === undefined ? {} : { reason: answer.reason }),
  createdAt: answer.createdAt,
  updatedAt: answer.updatedAt,
  ...(answer.completedAt === undefined ? {} : { completedAt: answer.completedAt }),
});

/** The streaming state a chunk changes. */
export interface AnswerProgress {
  readonly text: string;
  readonly lastSeq: number;
  readonly pendingChunks: Readonly<Record<string, string>>;
}

export type ChunkDecision =
  | { readonly apply: false; readonly reason: 'final' | 'duplicate' | 'too-far-ahead' }
  | {
      readonly apply: true;
      readonly progress: AnswerProgress;
      /** Text appended to the contiguous answer by this chunk (empty when it only waits for a gap). */
      readonly appended: string;
    };

/**
 * Decides what a chunk does to an answer: chunks are applied in `seq` order whatever order they
 * arrive in. A chunk already applied (or already waiting) is a duplicate; a chunk after a gap waits
 * in `pendingChunks` until the gap is filled; a chunk for a COMPLETED/FAILED answer is ignored.
 *
 * @example mergeChunk(answer, 0, 'Hello') // { apply: true, appended: 'Hello', progress: { text: 'Hello', lastSeq: 0, … } }
 */
export const mergeChunk = (answer: Answer, seq: number, text: string): ChunkDecision => {
  if (isFinalStatus(answer.status)) return { apply: false, reason: 'final' };
  if (seq <= answer.lastSeq || Object.hasOwn(answer.pendingChunks, String(seq))) {
    return { apply: false, reason: 'duplicate' };
  }
  const pending: Record<string, string> = { ...answer.pendingChunks, [String(seq)]: text };
  if (seq > answer.lastSeq + 1) {
    if (Object.keys(pending).length > MAX_PENDING_CHUNKS) return { apply: false, reason: 'too-far-ahead' };
    return {
      apply: true,
      appended: '',
      progress: { text: answer.text, lastSeq: answer.lastSeq, pendingChunks: pending },
    };
  }
  let lastSeq = answer.lastSeq;
  let appended = '';
  for (let next = pending[String(lastSeq + 1)]; next !== undefined; next = pending[String(lastSeq + 1)]) {
    appended += next;
    lastSeq += 1;
    delete pending[String(lastSeq)];
  }
  return {
    apply: true,
    appended,
    progress: { text: answer.text + appended, lastSeq, pendingChunks: pending },
  };
};
