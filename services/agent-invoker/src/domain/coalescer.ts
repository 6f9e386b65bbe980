import {
  MAX_ANSWER_LENGTH,
  MAX_CHUNK_LENGTH,
  MAX_CHUNKS_PER_ANSWER,
} from '@tenant-assistant/contracts/events';
import { AnswerTooLongError } from '../errors';
/** Options of {@link createChunkCoalescer}. */
export interface ChunkCoalescerOptions {
  /** Publishes one coalesced piece of text as chunk number `seq` (0, 1, 2, …). */
  publish: (seq: number, text: string) => Promise<void>;
  /** Milliseconds since epoch (tests pass a fake). */
  clock: () => number;
  /** A piece is published once this long has passed since the previous one (default 250 ms). */
  intervalMs?: number;
  /** …or once this many characters are waiting (default 300). */
  maxChars?: number;
}

export interface ChunkCoalescer {
  /** Adds text from the agent; publishes the waiting text when the interval or size is reached. */
  push(text: string): Promise<void>;
  /** Publishes whatever text is still waiting. */
  flush(): Promise<void>;
  /**
   * Hands over whatever text is still waiting as the last piece (numbered like a published one)
   * instead of publishing it, so the caller can publish it together with what follows: the last
   * AnswerChunk and AnswerCompleted in one PutEvents call. Undefined when nothing is waiting.
   */
  takeRest(): { seq: number; text: string } | undefined;
  /** Everything pushed so far: the concatenation of all pieces after `flush` (or `takeRest`). */
  readonly text: string;
  /** How many pieces were published (or handed over by `takeRest`). */
  readonly published: number;
}

/**
 * Coalesces the agent's small stream chunks into `AnswerChunk`s: at most about one per
 * `intervalMs`, or sooner once `maxChars` are waiting. The first text is published at once (the
 * user sees the answer start); pieces are published one at a time, in order, numbered from 0.
 *
 * @example
 * const coalescer = createChunkCoalescer({ clock: Date.now, publish: (seq, text) => send(seq, text) });
 * for await (const text of stream) await coalescer.push(text);
 * await coalescer.flush();
 */
export const createChunkCoalescer = (options: ChunkCoalescerOptions): ChunkCoalescer => {
  const { publish, clock, intervalMs = 250 } = options;
  const maxChars = Math.min(options.maxChars ?? 300, MAX_CHUNK_LENGTH);
  let pending = '';
  let text = '';
  let seq = 0;
  let lastPublishedAt = Number.NEGATIVE_INFINITY;

  // Pieces of at most MAX_CHUNK_LENGTH; past MAX_CHUNKS_PER_ANSWER chunks the rest of the text
  // goes only in the completion (chunks are progress, the completion is authoritative).
  const publishPending = async () => {
    if (pending === '') return;
    const pieces = pending;
    pending = '';
    for (let start = 0; start < pieces.length && seq < MAX_CHUNKS_PER_ANSWER; start += MAX_CHUNK_LENGTH) {
      await publish(seq, pieces.slice(start, start + MAX_CHUNK_LENGTH));
      seq += 1;
    }
    lastPublishedAt = clock();
  };

  return {
    async push(value) {
      if (value === '') return;
      if (text.length + value.length > MAX_ANSWER_LENGTH) throw new AnswerTooLongError();
      pending += value;
      text += value;
      if (pending.length >= maxChars || clock() - lastPublishedAt >= intervalMs) await publishPending();
    },
    flush: publishPending,
    takeRest() {
      if (pending === '' || seq >= MAX_CHUNKS_PER_ANSWER) return undefined;
      const rest = { seq, text: pending };
      pending = '';
      seq += 1;
      return rest;
    },
    get text() {
      return text;
    },
    get published() {
      return seq;
    },
  };
};
