import { type AnswerEvent, DEFAULT_FAILURE_REASON, pendingAnswer, reduceAnswer } from './answer-stream';

const ID = 'answer-1';
const apply = (...events: AnswerEvent[]) => events.reduce(reduceAnswer, pendingAnswer(ID));
const chunk = (seq: number, text: string): AnswerEvent => ({ type: 'answer.chunk', seq, text });

describe('reduceAnswer', () => {
  it('starts pending with no text', () => {
    expect(pendingAnswer(ID)).toEqual({ answerId: ID, status: 'PENDING', text: '', chunks: {} });
  });

  it('streams chunks in seq order', () => {
    const answer = apply(chunk(0, 'Returns are accepted '), chunk(1, 'within 10 '), chunk(2, 'days.'));
    expect(answer.status).toBe('STREAMING');
    expect(answer.text).toBe('Returns are accepted within 10 days.');
  });

  it('places out-of-order chunks by seq', () => {
    expect(apply(chunk(2, 'C'), chunk(0, 'A'), chunk(1, 'B')).text).toBe('ABC');
  });

  it('works whatever seq the stream starts at', () => {
    expect(apply(chunk(1, 'A'), chunk(2, 'B')).text).toBe('AB');
  });

  it('ignores a duplicate seq, even with different text', () => {
    const answer = apply(chunk(0, 'A'), chunk(1, 'B'), chunk(1, 'B'), chunk(1, 'X'));
    expect(answer.text).toBe('AB');
  });

  it('ignores chunks with an invalid seq', () => {
    const answer = apply(chunk(-1, 'X'), chunk(0.5, 'Y'));
    expect(answer).toEqual(pendingAnswer(ID));
  });

  it('takes the completed text as final and ignores everything after it', () => {
    const answer = apply(
      chunk(0, 'partial'),
      { type: 'answer.completed', text: 'Returns are accepted within 10 days.' },
      chunk(1, ' extra'),
      { type: 'answer.failed', reason: 'late' },
      { type: 'answer.snapshot', status: 'STREAMING', text: 'stale' },
    );
    expect(answer.status).toBe('COMPLETED');
    expect(answer.text).toBe('Returns are accepted within 10 days.');
  });

  it('keeps the partial text and the reason of a failed answer, and ignores later events', () => {
    const answer = apply(
      chunk(0, 'Returns'),
      { type: 'answer.failed', reason: 'The agent timed out.' },
      chunk(1, ' x'),
    );
    expect(answer).toMatchObject({ status: 'FAILED', text: 'Returns', reason: 'The agent timed out.' });
  });

  it('uses a default reason when a failure has none', () => {
    expect(apply({ type: 'answer.failed', reason: '' }).reason).toBe(DEFAULT_FAILURE_REASON);
    expect(apply({ type: 'answer.snapshot', status: 'FAILED' }).reason).toBe(DEFAULT_FAILURE_REASON);
  });

  it('catches up from a polled snapshot when chunks were missed', () => {
    const answer = apply(chunk(0, 'Re'), {
      type: 'answer.snapshot',
      status: 'STREAMING',
      text: 'Returns are',
    });
    expect(answer).toMatchObject({ status: 'STREAMING', text: 'Returns are' });
  });

  it('keeps streamed text that is ahead of a stale snapshot', () => {
    const answer = apply(chunk(0, 'Returns are'), { type: 'answer.snapshot', status: 'PENDING', text: 'Re' });
    expect(answer).toMatchObject({ status: 'STREAMING', text: 'Returns are' });
  });

  it('finishes from a completed or failed snapshot', () => {
    expect(apply({ type: 'answer.snapshot', status: 'COMPLETED', text: '20 days' })).toMatchObject({
      status: 'COMPLETED',
      text: '20 days',
    });
    expect(apply({ type: 'answer.snapshot', status: 'FAILED', reason: 'No agent' })).toMatchObject({
      status: 'FAILED',
      reason: 'No agent',
    });
  });

  describe("chat-api's form {seq = last applied, delta, text = all so far}", () => {
    const progress = (seq: number, delta: string, text: string): AnswerEvent => ({
      type: 'answer.chunk',
      seq,
      delta,
      text,
    });

    it('streams the text so far', () => {
      const answer = apply(
        progress(0, 'Returns ', 'Returns '),
        progress(2, 'within 10 days', 'Returns within 10 days'),
      );
      expect(answer).toMatchObject({ status: 'STREAMING', text: 'Returns within 10 days' });
    });

    it('ignores a late or duplicate push', () => {
      const answer = apply(
        progress(2, 'within 10 days', 'Returns within 10 days'),
        progress(0, 'Returns ', 'Returns '),
        progress(2, 'within 10 days', 'Returns within 10 days'),
      );
      expect(answer.text).toBe('Returns within 10 days');
    });

    it('recovers the whole text when an earlier push was lost', () => {
      const answer = apply(
        progress(0, 'Returns ', 'Returns '),
        progress(3, 'days.', 'Returns within 10 days.'),
      );
      expect(answer.text).toBe('Returns within 10 days.');
    });
  });

  it('does not let a later chunk shrink text taken from a snapshot', () => {
    const answer = apply(
      { type: 'answer.snapshot', status: 'STREAMING', text: 'Returns are' },
      chunk(0, 'Re'),
    );
    expect(answer.text).toBe('Returns are');
  });
});
