import { fakeClock, fakeSleep } from '../../test/support/fakes';
import { backoffDelay, withRetry } from './retry';

class Retryable extends Error {}

const options = (overrides: Partial<Parameters<typeof withRetry>[1]> = {}) => {
  const clock = fakeClock();
  const { sleep, delays } = fakeSleep();
  return {
    delays,
    options: {
      isRetryable: (error: unknown) => error instanceof Retryable,
      deadline: clock.now() + 60_000,
      clock: clock.now,
      sleep,
      random: () => 0.5,
      ...overrides,
    },
  };
};

describe('backoffDelay', () => {
  test('doubles per attempt up to the cap, half of it jittered', () => {
    // Prepare
    const low = { random: () => 0, baseDelayMs: 100, maxDelayMs: 1000 };
    const high = { random: () => 0.999999, baseDelayMs: 100, maxDelayMs: 1000 };

    // Act
    const lows = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, low));
    const highs = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, high));

    // Assess
    expect(lows).toEqual([50, 100, 200, 400, 500, 500]);
    expect(highs).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('withRetry', () => {
  test('returns the first success without waiting', async () => {
    // Prepare
    const { options: retry, delays } = options();

    // Act
    const result = await withRetry(async () => 'ok', retry);

    // Assess
    expect(result).toBe('ok');
    expect(delays).toEqual([]);
  });

  test('retries retryable errors with growing delays, then returns the success', async () => {
    // Prepare
    const { options: retry, delays } = options();
    const attempts: number[] = [];

    // Act
    const result = await withRetry(async (attempt) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Retryable('throttled');
      return 'ok';
    }, retry);

    // Assess
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(delays).toEqual([188, 375]);
  });

  test('fails fast on an error that is not retryable', async () => {
    // Prepare
    const { options: retry, delays } = options();
    let calls = 0;

    // Act
    const running = withRetry(async () => {
      calls += 1;
      throw new Error('validation');
    }, retry);

    // Assess
    await expect(running).rejects.toThrow('validation');
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  test('gives up after the most attempts and rethrows the last error', async () => {
    // Prepare
    const { options: retry } = options({ maxAttempts: 3 });
    let calls = 0;

    // Act
    const running = withRetry(async () => {
      calls += 1;
      throw new Retryable(`throttled ${calls}`);
    }, retry);

    // Assess
    await expect(running).rejects.toThrow('throttled 3');
    expect(calls).toBe(3);
  });

  test('does not wait past the deadline', async () => {
    // Prepare
    const clock = fakeClock();
    const { options: retry, delays } = options({ clock: clock.now, deadline: clock.now() + 300 });
    let calls = 0;

    // Act
    const running = withRetry(async () => {
      calls += 1;
      throw new Retryable('throttled');
    }, retry);

    // Assess
    await expect(running).rejects.toThrow('throttled');
    expect(delays).toEqual([188]);
    expect(calls).toBe(2);
  });

  test('reports each retry before waiting', async () => {
    // Prepare
    const retries: [number, number][] = [];
    const { options: retry } = options({
      onRetry: (_error, attempt, delayMs) => retries.push([attempt, delayMs]),
    });

    // Act
    await withRetry(async (attempt) => {
      if (attempt === 1) throw new Retryable('throttled');
      return 'ok';
    }, retry);

    // Assess
    expect(retries).toEqual([[1, 188]]);
  });
});
