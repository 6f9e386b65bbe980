/** Ports and limits of {@link withRetry}. */
export interface RetryOptions {
  /** Whether an error is worth another attempt. */
  isRetryable: (error: unknown) => boolean;
  /** No attempt starts after this instant (milliseconds, on `clock`). */
  deadline: number;
  /** Milliseconds since epoch. */
  clock: () => number;
  /** Waits `ms` milliseconds (tests pass a fake that records the delays). */
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1) (tests pass a constant). */
  random: () => number;
  /** Delay before the second attempt, before jitter (default 250 ms). */
  baseDelayMs?: number;
  /** Longest delay between two attempts (default 4 s). */
  maxDelayMs?: number;
  /** Most attempts in all (default 6). */
  maxAttempts?: number;
  /** Called before each wait, e.g. to log the retry. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * The wait before retry number `attempt` (1-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so concurrent invocations spread out but never retry at once.
 */
export const backoffDelay = (
  attempt: number,
  options: Pick<RetryOptions, 'random' | 'baseDelayMs' | 'maxDelayMs'>,
): number => {
  const { baseDelayMs = 250, maxDelayMs = 4000, random } = options;
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};

/**
 * Runs `operation` until it succeeds, retrying retryable errors with exponential backoff and
 * jitter while the next attempt can still start before `deadline`. Non-retryable errors, the last
 * attempt's error, and an error whose retry would start after the deadline are rethrown as they are.
 *
 * @example
 * const text = await withRetry(() => askAgent(), { isRetryable, deadline, clock, sleep, random });
 */
export const withRetry = async <T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> => {
  const maxAttempts = options.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !options.isRetryable(error)) throw error;
      const delay = backoffDelay(attempt, options);
      if (options.clock() + delay >= options.deadline) throw error;
      options.onRetry?.(error, attempt, delay);
      await options.sleep(delay);
    }
  }
};
