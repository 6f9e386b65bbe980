import { type AnswerStatus, isFinalStatus } from '@tenant-assistant/contracts/http';

/** Answer statuses: the HTTP contract's. */
export { ANSWER_STATUSES, type AnswerStatus } from '@tenant-assistant/contracts/http';

/** One answer as the screen shows it, built from WebSocket messages and polled snapshots. */
export interface AnswerView {
  readonly answerId: string;
  readonly status: AnswerStatus;
  /** What to show: the chunks received so far in `seq` order (up to the first gap), or the final text. */
  readonly text: string;
  /** Chunk texts by seq (kept to place late and duplicate chunks). */
  readonly chunks: Readonly<Record<number, string>>;
  /** Why it failed (safe to show: chat-api and the agent-invoker write it for users). */
  readonly reason?: string;
  /** When chat-api stops waiting for this answer (ISO instant); the client stops waiting then too. */
  readonly deadlineAt?: string;
  /** The answer did not arrive before its deadline. */
  readonly timedOut?: boolean;
}

/** What can happen to an answer. */
export type AnswerEvent =
  /** A chunk: its position `seq` (0, 1, …) and its text `delta`. Pushes may come out of order or not at all. */
  | { readonly type: 'answer.chunk'; readonly seq: number; readonly delta: string }
  /** The whole answer: authoritative, whatever chunks arrived. */
  | { readonly type: 'answer.completed'; readonly text: string }
  | { readonly type: 'answer.failed'; readonly reason: string }
  /** The client's own verdict: the deadline passed with no final answer. */
  | { readonly type: 'answer.timedOut' }
  /** A snapshot from `GET /answers/{answerId}` (polling, history). */
  | {
      readonly type: 'answer.snapshot';
      readonly status: AnswerStatus;
      readonly text?: string;
      readonly reason?: string;
      readonly deadlineAt?: string;
    };

/** Shown when an answer failed without a reason. */
export const DEFAULT_FAILURE_REASON = 'The assistant could not answer this time. Please try again.';

/** Shown when the client stopped waiting at the deadline. */
export const TIMED_OUT_REASON = 'No answer arrived in time (timed out). Please try again.';

/** Whether a failure reason says the answer timed out (chat-api's and the client's wording). */
export const isTimeoutReason = (reason: string | undefined): boolean => /timed out/i.test(reason ?? '');

/** A new answer, waiting for its first chunk. */
export const pendingAnswer = (answerId: string, deadlineAt?: string): AnswerView => ({
  answerId,
  status: 'PENDING',
  text: '',
  chunks: {},
  ...(deadlineAt ? { deadlineAt } : {}),
});

export const isTerminal = (status: AnswerStatus): boolean => isFinalStatus(status);

/** The chunks from seq 0 up to the first missing one, joined. */
const contiguousText = (chunks: Readonly<Record<number, string>>): string => {
  let text = '';
  for (let seq = 0; Object.hasOwn(chunks, seq); seq += 1) text += chunks[seq];
  return text;
};

const failed = (answer: AnswerView, reason: string | undefined): AnswerView => ({
  ...answer,
  status: 'FAILED',
  reason: reason || DEFAULT_FAILURE_REASON,
  ...(isTimeoutReason(reason) ? { timedOut: true } : {}),
});

/**
 * Applies one event to an answer. Chunks are placed by `seq` and shown up to the first gap
 * (out-of-order chunks land in order, a duplicate seq is ignored); the completion's text replaces
 * whatever was streamed; completion and failure are final: the first final state wins and later
 * events for that answer are ignored.
 *
 * @example
 * let view = pendingAnswer(id);
 * view = reduceAnswer(view, { type: 'answer.chunk', seq: 1, delta: 'days.' });
 * view = reduceAnswer(view, { type: 'answer.chunk', seq: 0, delta: '10 ' }); // view.text === '10 days.'
 */
export const reduceAnswer = (answer: AnswerView, event: AnswerEvent): AnswerView => {
  if (isTerminal(answer.status)) return answer;
  switch (event.type) {
    case 'answer.chunk': {
      if (!Number.isInteger(event.seq) || event.seq < 0 || Object.hasOwn(answer.chunks, event.seq))
        return answer;
      const chunks = { ...answer.chunks, [event.seq]: event.delta };
      const joined = contiguousText(chunks);
      // A polled snapshot may already show more than the pushes did: keep whichever is further.
      const text = joined.length >= answer.text.length ? joined : answer.text;
      return { ...answer, status: 'STREAMING', chunks, text };
    }
    case 'answer.completed':
      return { ...answer, status: 'COMPLETED', text: event.text };
    case 'answer.failed':
      return failed(answer, event.reason);
    case 'answer.timedOut':
      return failed(answer, TIMED_OUT_REASON);
    case 'answer.snapshot': {
      const text = event.text ?? '';
      const withDeadline = event.deadlineAt ? { ...answer, deadlineAt: event.deadlineAt } : answer;
      if (event.status === 'COMPLETED') return { ...withDeadline, status: 'COMPLETED', text };
      if (event.status === 'FAILED')
        return failed({ ...withDeadline, text: text || answer.text }, event.reason);
      // PENDING/STREAMING: the server's text is everything streamed so far; keep whichever is further.
      const status = event.status === 'STREAMING' || answer.status === 'STREAMING' ? 'STREAMING' : 'PENDING';
      return { ...withDeadline, status, text: text.length > answer.text.length ? text : answer.text };
    }
  }
};
