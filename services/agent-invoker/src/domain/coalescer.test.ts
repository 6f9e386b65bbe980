import { fakeClock } from '../../test/support/fakes';
import { createChunkCoalescer } from './coalescer';

const setup = (options: { intervalMs?: number; maxChars?: number } = {}) => {
  const clock = fakeClock();
  const published: { seq: number; text: string }[] = [];
  const coalescer = createChunkCoalescer({
    clock: clock.now,
    publish: async (seq, text) => {
      published.push({ seq, text });
    },
    ...options,
  });
  return { clock, published, coalescer };
};

describe('createChunkCoalescer', () => {
  test('publishes the first text at once', async () => {
    // Prepare
    const { coalescer, published } = setup();

    // Act
    await coalescer.push('Hello');

    // Assess
    expect(published).toEqual([{ seq: 0, text: 'Hello' }]);
  });

  test('holds text that arrives within the interval and publishes it once the interval has passed', async () => {
    // Prepare
    const { coalescer, published, clock } = setup();
    await coalescer.push('Hello');

    // Act
    clock.advance(100);
    await coalescer.push(', ');
    clock.advance(100);
    await coalescer.push('dear ');
    const held = [...published];
    clock.advance(50);
    await coalescer.push('customer');

    // Assess
    expect(held).toEqual([{ seq: 0, text: 'Hello' }]);
    expect(published).toEqual([
      { seq: 0, text: 'Hello' },
      { seq: 1, text: ', dear customer' },
    ]);
  });

  test('publishes before the interval once enough characters are waiting', async () => {
    // Prepare
    const { coalescer, published, clock } = setup({ maxChars: 10 });
    await coalescer.push('a');

    // Act
    clock.advance(1);
    await coalescer.push('12345');
    clock.advance(1);
    await coalescer.push('67890');

    // Assess
    expect(published).toEqual([
      { seq: 0, text: 'a' },
      { seq: 1, text: '1234567890' },
    ]);
  });

  test('publishes what is left on flush, so the pieces concatenate to the whole text', async () => {
    // Prepare
    const { coalescer, published, clock } = setup();
    const pieces = ['The ', 'return ', 'window ', 'is ', '30 ', 'days.'];

    // Act
    for (const piece of pieces) {
      clock.advance(60);
      await coalescer.push(piece);
    }
    await coalescer.flush();

    // Assess
    expect(published.map((p) => p.seq)).toEqual(published.map((_, index) => index));
    expect(published.map((p) => p.text).join('')).toBe(pieces.join(''));
    expect(coalescer.text).toBe(pieces.join(''));
    expect(coalescer.published).toBe(published.length);
    expect(published.length).toBeLessThan(pieces.length);
  });

  test('hands over the waiting text as the next piece instead of publishing it', async () => {
    // Prepare
    const { coalescer, published, clock } = setup();
    await coalescer.push('The ');
    clock.advance(10);
    await coalescer.push('window ');
    clock.advance(10);
    await coalescer.push('is 30 days.');

    // Act
    const rest = coalescer.takeRest();
    const again = coalescer.takeRest();

    // Assess
    expect(published).toEqual([{ seq: 0, text: 'The ' }]);
    expect(rest).toEqual({ seq: 1, text: 'window is 30 days.' });
    expect(again).toBeUndefined();
    expect(coalescer.published).toBe(2);
    expect(coalescer.text).toBe('The window is 30 days.');
  });

  test('publishes nothing for empty text and nothing on an empty flush', async () => {
    // Prepare
    const { coalescer, published } = setup();

    // Act
    await coalescer.push('');
    await coalescer.flush();

    // Assess
    expect(published).toEqual([]);
    expect(coalescer.published).toBe(0);
  });

  test('does not count a piece whose publication failed', async () => {
    // Prepare
    const coalescer = createChunkCoalescer({
      clock: fakeClock().now,
      publish: async () => {
        throw new Error('bus unavailable');
      },
    });

    // Act
    const pushing = coalescer.push('Hello');

    // Assess
    await expect(pushing).rejects.toThrow('bus unavailable');
    expect(coalescer.published).toBe(0);
  });
});
