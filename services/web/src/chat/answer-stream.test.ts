import {
  type AnswerEvent,
  DEFAULT_FAILURE_REASON,
  pendingAnswer,
  reduceAnswer,
  TIMED_OUT_REASON,
} from './answer-stream';

const ID = 'answer-1';
const apply = (...events: AnswerEvent[]) => events.reduce(reduceAnswer, pendingAnswer(ID));
const chunk = (seq: number, delta: string): AnswerEvent => ({ type: 'answer.chunk', seq, delta });

describe('reduceAnswer', () => {
  it('starts pending with no text', () => {
    // Act / Assess
    expect(pendingAnswer(ID)).toEqual({ answerId: ID, status: 'PENDING', text: '', chunks: {} });
  });

  it('streams chunks in seq order', () => {
    // Act
    const answer = apply(chunk(0, 'Returns are accepted '), chunk(1, 'within 10 '), chunk(2, 'days.'));

    // Assess
    expect(answer.status).toBe('STREAMING');
    expect(answer.text).toBe('Returns are accepted within 10 days.');
  });

  it('places out-of-order chunks by seq', () => {
    // Act / Assess
    expect(apply(chunk(2, 'C'), chunk(0, 'A'), chunk(1, 'B')).text).toBe('ABC');
  });

  it('shows chunks only up to the first missing one, and the rest once it arrives', () => {
    // Act
    const waiting = apply(chunk(1, 'B'), chunk(2, 'C'));

    // Assess
    expect(waiting).toMatchObject({ status: 'STREAMING', text: '' });
    expect(reduceAnswer(waiting, chunk(0, 'A')).text).toBe('ABC');
  });

  it('ignores a duplicate seq, even with different text', () => {
    // Act
    const answer = apply(chunk(0, 'A'), chunk(1, 'B'), chunk(1, 'B'), chunk(1, 'X'));

    // Assess
    expect(answer.text).toBe('AB');
  });

  it('ignores chunks with an invalid seq', () => {
    // Act
    const answer = apply(chunk(-1, 'X'), chunk(0.5, 'Y'));

    // Assess
    expect(answer).toEqual(pendingAnswer(ID));
  });

  it('takes the completed text as final and ignores everything after it', () => {
    // Act
    const answer = apply(
      chunk(0, 'partial'),
      { type: 'answer.completed', text: 'Returns are accepted within 10 days.' },
      chunk(1, ' extra'),
      { type: 'answer.failed', reason: 'late' },
      { type: 'answer.snapshot', status: 'STREAMING', text: 'stale' },
    );

    // Assess
    expect(answer.status).toBe('COMPLETED');
    expect(answer.text).toBe('Returns are accepted within 10 days.');
  });

  it('keeps the partial text and the reason of a failed answer, and ignores later events', () => {
    // Act
    const answer = apply(
      chunk(0, 'Returns'),
      { type: 'answer.failed', reason: 'The agent timed out.' },
      chunk(1, ' x'),
    );

    // Assess
    expect(answer).toMatchObject({ status: 'FAILED', text: 'Returns', reason: 'The agent timed out.' });
  });

  it('uses a default reason when a failure has none', () => {
    // Act / Assess
    expect(apply({ type: 'answer.failed', reason: '' }).reason).toBe(DEFAULT_FAILURE_REASON);
    expect(apply({ type: 'answer.snapshot', status: 'FAILED' }).reason).toBe(DEFAULT_FAILURE_REASON);
  });

  it('catches up from a polled snapshot when chunks were missed', () => {
    // Act
    const answer = apply(chunk(0, 'Re'), {
      type: 'answer.snapshot',
      status: 'STREAMING',
      text: 'Returns are',
    });

    // Assess
    expect(answer).toMatchObject({ status: 'STREAMING', text: 'Returns are' });
  });

  it('keeps streamed text that is ahead of a stale snapshot', () => {
    // Act
    const answer = apply(chunk(0, 'Returns are'), { type: 'answer.snapshot', status: 'PENDING', text: 'Re' });

    // Assess
    expect(answer).toMatchObject({ status: 'STREAMING', text: 'Returns are' });
  });

  it('finishes from a completed or failed snapshot', () => {
    // Act / Assess
    expect(apply({ type: 'answer.snapshot', status: 'COMPLETED', text: '20 days' })).toMatchObject({
      status: 'COMPLETED',
      text: '20 days',
    });
    expect(apply({ type: 'answer.snapshot', status: 'FAILED', reason: 'No agent' })).toMatchObject({
      status: 'FAILED',
      reason: 'No agent',
    });
  });

  it('takes the completion as authoritative even when chunks were lost or differ', () => {
    // Act
    const answer = apply(chunk(0, 'Returns '), chunk(2, 'lost-gap '), {
      type: 'answer.completed',
      text: 'Returns within 10 days.',
    });

    // Assess
    expect(answer).toMatchObject({ status: 'COMPLETED', text: 'Returns within 10 days.' });
  });

  it('fails as timed out when the client stops waiting at the deadline, and stays so', () => {
    // Act
    const answer = apply(
      chunk(0, 'Ret'),
      { type: 'answer.timedOut' },
      { type: 'answer.completed', text: 'late' },
    );

    // Assess
    expect(answer).toMatchObject({ status: 'FAILED', reason: TIMED_OUT_REASON, timedOut: true, text: 'Ret' });
  });

  it("recognises chat-api's timed-out failure and keeps the deadline of a snapshot", () => {
    // Act
    const answer = apply({
      type: 'answer.snapshot',
      status: 'FAILED',
      reason: 'The assistant took too long to answer (timed out). Please try again.',
      deadlineAt: '2025-03-01T12:04:00.000Z',
    });

    // Assess
    expect(answer).toMatchObject({ timedOut: true, deadlineAt: '2025-03-01T12:04:00.000Z' });
  });

  it('does not let a later chunk shrink text taken from a snapshot', () => {
    // Act
    const answer = apply(
      { type: 'answer.snapshot', status: 'STREAMING', text: 'Returns are' },
      chunk(0, 'Re'),
    );

    // Assess
    expect(answer.text).toBe('Returns are');
  });
});
