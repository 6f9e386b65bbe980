import { type AnswerStatus, isFinalStatus } from '@tenant-assistant/contracts/http';

/** Answer statuses: the HTTP contract's. */
export { ANSWER_STATUSES, type AnswerStatus } from '@tenant-assistant/contracts/http';

/** One answer as the screen shows it, built from WebSocket messages and polled snapshots. */
export interface AnswerView {
  readonly answerId: string;
  readonly status: AnswerStatus;
  /** What to show: the chunks received so far in `seq` order, or the final text. */
  readonly text: string;
  /** Chunk texts by seq (kept to place late and duplicate chunks). */
  readonly chunks: Readonly<Record<number, string>>;
  /** Why it failed (safe to show: the agent-invoker writes it for users). */
  readonly reason?: string;
}

/** What can happen to an answer. */
export type AnswerEvent =
  /**
   * A chunk. Two forms are understood: `{seq, text}` where `text` is that chunk's piece, and chat-api's
   * `{seq, delta, text}` where `seq` is the last chunk applied in order, `delta` the text it added
   * and `text` the whole answer so far.
   */
  | { readonly type: 'answer.chunk'; readonly seq: number; readonly text: string; readonly delta?: string }
  | { readonly type: 'answer.completed'; readonly text: string }
  | { readonly type: 'answer.failed'; readonly reason: string }
  /** A snapshot from `GET /answers/{answerId}` (polling, history). */
  | {
      readonly type: 'answer.snapshot';
      readonly status: AnswerStatus;
      readonly text?: string;
      readonly reason?: string;
    };

/** Shown when an answer failed without a reason. */
export const DEFAULT_FAILURE_REASON = 'The assistant could not answer this time. Please try again.';

/** A new answer, waiting for its first chunk. */
export const pendingAnswer = (answerId: string): AnswerView => ({
  answerId,
  status: 'PENDING',
  text: '',
  chunks: {},
});

export const isTerminal = (status: AnswerStatus): boolean => isFinalStatus(status);

const joinChunks = (chunks: Readonly<Record<number, string>>): string =>
  Object.keys(chunks)
    .map(Number)
    .sort((a, b) => a - b)
    .map((seq) => chunks[seq])
    .join('');

/**
 * Applies one event to an answer. Chunks are placed by `seq` (out-of-order chunks land in order, a
 * duplicate seq is ignored); completion and failure are final: the first final state wins and later
 * events for that answer are ignored.
 *
 * @example
 * let view = pendingAnswer(id);
 * view = reduceAnswer(view, { type: 'answer.chunk', seq: 1, text: 'days.' });
 * view = reduceAnswer(view, { type: 'answer.chunk', seq: 0, text: '10 ' }); // view.text === '10 days.'
 */
export const reduceAnswer = (answer: AnswerView, event: AnswerEvent): AnswerView => {
  if (isTerminal(answer.status)) return answer;
  switch (event.type) {
    case 'answer.chunk': {
      if (!Number.isInteger(event.seq) || event.seq < 0 || Object.hasOwn(answer.chunks, event.seq))
        return answer;
      const chunks = { ...answer.chunks, [event.seq]: event.delta ?? event.text };
      const newest = Math.max(...Object.keys(chunks).map(Number)) === event.seq;
      // Every candidate is a prefix of the same answer: show the longest one.
      const candidates = [
        joinChunks(chunks),
        answer.text,
        event.delta !== undefined && newest ? event.text : '',
      ];
      const text = candidates.reduce((longest, candidate) =>
        candidate.length > longest.length ? candidate : longest,
      );
      return { ...answer, status: 'STREAMING', chunks, text };
    }
    case 'answer.completed':
      return { ...answer, status: 'COMPLETED', text: event.text };
    case 'answer.failed':
      return { ...answer, status: 'FAILED', reason: event.reason || DEFAULT_FAILURE_REASON };
    case 'answer.snapshot': {
      const text = event.text ?? '';
      if (event.status === 'COMPLETED') return { ...answer, status: 'COMPLETED', text };
      if (event.status === 'FAILED') {
        return {
          ...answer,
          status: 'FAILED',
          text: text || answer.text,
          reason: event.reason || DEFAULT_FAILURE_REASON,
        };
      }
      // PENDING/STREAMING: the server's text is everything streamed so far; keep whichever is further.
      const status = event.status === 'STREAMING' || answer.status === 'STREAMING' ? 'STREAMING' : 'PENDING';
      return { ...answer, status, text: text.length > answer.text.length ? text : answer.text };
    }
  }
};
