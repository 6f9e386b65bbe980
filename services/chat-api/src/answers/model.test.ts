import { anAnswer } from '../../test/support/answers';
import { type Answer, MAX_PENDING_CHUNKS, mergeChunk, toAnswerView } from './model';

/** Applies chunks one by one the way the repository would store them. */
const applyAll = (answer: Answer, chunks: [number, string][]): Answer => {
  let current = answer;
  for (const [seq, text] of chunks) {
    const decision = mergeChunk(current, seq, text);
    if (decision.apply) current = { ...current, ...decision.progress, status: 'STREAMING' };
  }
  return current;
};

describe('mergeChunk', () => {
  it('appends the next chunk', () => {
    // Prepare
    const answer = anAnswer();

    // Act
    const decision = mergeChunk(answer, 0, 'Hello');

    // Assess
    expect(decision).toEqual({
      apply: true,
      appended: 'Hello',
      progress: { text: 'Hello', lastSeq: 0, pendingChunks: {} },
    });
  });

  it('keeps a chunk that arrives after a gap until the gap is filled', () => {
    // Prepare
    const answer = anAnswer({ text: 'A', lastSeq: 0 });

    // Act
    const early = mergeChunk(answer, 2, 'C');
    const afterEarly = { ...answer, ...(early.apply ? early.progress : {}) };
    const filling = mergeChunk(afterEarly, 1, 'B');

    // Assess
    expect(early).toEqual({
      apply: true,
      appended: '',
      progress: { text: 'A', lastSeq: 0, pendingChunks: { 2: 'C' } },
    });
    expect(filling).toEqual({
      apply: true,
      appended: 'BC',
      progress: { text: 'ABC', lastSeq: 2, pendingChunks: {} },
    });
  });

  it('refuses a chunk already applied or already waiting as a duplicate', () => {
    // Prepare
    const answer = anAnswer({ text: 'AB', lastSeq: 1, pendingChunks: { 3: 'D' } });

    // Act
    const decisions = [mergeChunk(answer, 0, 'A'), mergeChunk(answer, 1, 'B'), mergeChunk(answer, 3, 'D')];

    // Assess
    expect(decisions).toEqual([
      { apply: false, reason: 'duplicate' },
      { apply: false, reason: 'duplicate' },
      { apply: false, reason: 'duplicate' },
    ]);
  });

  it.each(['COMPLETED', 'FAILED'] as const)('ignores every chunk of a %s answer', (status) => {
    // Prepare
    const answer = anAnswer({ status, text: 'done', lastSeq: 0 });

    // Act
    const decision = mergeChunk(answer, 1, 'late');

    // Assess
    expect(decision).toEqual({ apply: false, reason: 'final' });
  });

  it('stops keeping early chunks beyond the limit', () => {
    // Prepare
    const pendingChunks = Object.fromEntries(
      Array.from({ length: MAX_PENDING_CHUNKS }, (_, index) => [String(index + 2), 'x']),
    );
    const answer = anAnswer({ lastSeq: 0, text: 'a', pendingChunks });

    // Act
    const decision = mergeChunk(answer, MAX_PENDING_CHUNKS + 5, 'y');

    // Assess
    expect(decision).toEqual({ apply: false, reason: 'too-far-ahead' });
  });

  it('builds the same text for every arrival order, with duplicates', () => {
    // Prepare
    const chunks: [number, string][] = [
      [0, 'The '],
      [1, 'return '],
      [2, 'window '],
      [3, 'is '],
      [4, '30 days.'],
    ];
    const orders = permutations(chunks);

    // Act
    const texts = new Set(orders.map((order) => applyAll(anAnswer(), [...order, ...order.slice(0, 2)]).text));

    // Assess
    expect(orders).toHaveLength(120);
    expect([...texts]).toEqual(['The return window is 30 days.']);
  });
});

describe('toAnswerView', () => {
  it('shows the answer without its owner, tenant or bookkeeping', () => {
    // Prepare
    const answer = anAnswer({ status: 'FAILED', reason: 'Try again', pendingChunks: { 4: 'x' } });

    // Act
    const view = toAnswerView(answer);

    // Assess
    expect(view).toEqual({
      answerId: answer.answerId,
      conversationId: answer.conversationId,
      prompt: answer.prompt,
      status: 'FAILED',
      text: '',
      reason: 'Try again',
      createdAt: answer.createdAt,
      updatedAt: answer.updatedAt,
    });
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}
