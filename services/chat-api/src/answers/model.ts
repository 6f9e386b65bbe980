import { type AnswerStatus, type AnswerView, isFinalStatus } from '@tenant-assistant/contracts/http';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';

export {
  ANSWER_STATUSES,
  type AnswerStatus,
  type AnswerView,
  FINAL_STATUSES,
} from '@tenant-assistant/contracts/http';

/** Reason stored on an answer that did not end before its deadline (shown to the user). */
export const TIMED_OUT_REASON = 'The assistant took too long to answer (timed out). Please try again.';

/** A prompt and its answer as stored (answers table, partition `userId`, sort `answerId`). */
export interface Answer {
  readonly userId: UserId;
  readonly answerId: AnswerId;
  readonly tenantId: TenantId;
  readonly conversationId: string;
  readonly prompt: string;
  readonly status: AnswerStatus;
  /** The completed text; empty until the answer is COMPLETED (streamed text is in `chunks`). */
  readonly text: string;
  /**
   * Streamed pieces by `seq`, each written once on its own (no read, no version): progress for a
   * reader that polls. Chunks may be missing or late; the completion's text is authoritative.
   */
  readonly chunks: Readonly<Record<string, string>>;
  /** A safe-to-show reason when FAILED. */
  readonly reason?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
  /** ISO instant fixed at submit: an answer still open then is FAILED (timed out) by whoever notices. */
  readonly deadlineAt: string;
  /** Epoch seconds after which DynamoDB deletes the item (TTL). */
  readonly expiresAt: number;
}

/** The primary key of an answer. */
export interface AnswerKey {
  readonly userId: UserId;
  readonly answerId: AnswerId;
}

/** Whether an answer can still change (PENDING or STREAMING). */
export const isOpen = (answer: Pick<Answer, 'status'>): boolean => !isFinalStatus(answer.status);

/** Whether an open answer has passed its deadline at `now` (it must be made FAILED, timed out). */
export const isOverdue = (answer: Pick<Answer, 'status' | 'deadlineAt'>, now: Date): boolean =>
  isOpen(answer) && answer.deadlineAt <= now.toISOString();

/**
 * The streamed text so far: chunks from seq 0 up to the first missing one, in seq order.
 *
 * @example streamedText({ '0': 'Hel', '1': 'lo', '3': '!' }) // 'Hello'
 */
export const streamedText = (chunks: Readonly<Record<string, string>>): string => {
  let text = '';
  for (let seq = 0; Object.hasOwn(chunks, String(seq)); seq += 1) text += chunks[String(seq)];
  return text;
};

/** The caller's view of a stored answer (no owner, tenant or bookkeeping fields). */
export const toAnswerView = (answer: Answer): AnswerView => ({
  answerId: answer.answerId,
  conversationId: answer.conversationId,
  prompt: answer.prompt,
  status: answer.status,
  text: answer.status === 'COMPLETED' ? answer.text : isOpen(answer) ? streamedText(answer.chunks) : '',
  ...(answer.reason === undefined ? {} : { reason: answer.reason }),
  createdAt: answer.createdAt,
  updatedAt: answer.updatedAt,
  ...(answer.completedAt === undefined ? {} : { completedAt: answer.completedAt }),
  deadlineAt: answer.deadlineAt,
});

/** The caller's view of an answer just made FAILED (timed out) at `now`. */
export const asTimedOut = (answer: Answer, now: Date): Answer => ({
  ...answer,
  status: 'FAILED',
  reason: TIMED_OUT_REASON,
  chunks: {},
  updatedAt: now.toISOString(),
});
