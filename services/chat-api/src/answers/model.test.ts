import { anAnswer } from '../../test/support/answers';
import { isOverdue, streamedText, toAnswerView } from './model';

describe('streamedText', () => {
  it('joins chunks in seq order up to the first missing one', () => {
    // Act / Assess
    expect(streamedText({ 2: 'c', 0: 'a', 1: 'b', 4: 'e' })).toBe('abc');
    expect(streamedText({ 1: 'b' })).toBe('');
    expect(streamedText({})).toBe('');
  });
});

describe('isOverdue', () => {
  it('is true only for an open answer at or after its deadline', () => {
    // Prepare
    const deadlineAt = '2025-03-01T12:00:00.000Z';
    const at = new Date(deadlineAt);
    const before = new Date(at.getTime() - 1);

    // Act / Assess
    expect(isOverdue(anAnswer({ deadlineAt }), at)).toBe(true);
    expect(isOverdue(anAnswer({ deadlineAt, status: 'STREAMING' }), at)).toBe(true);
    expect(isOverdue(anAnswer({ deadlineAt }), before)).toBe(false);
    expect(isOverdue(anAnswer({ deadlineAt, status: 'COMPLETED' }), at)).toBe(false);
    expect(isOverdue(anAnswer({ deadlineAt, status: 'FAILED' }), at)).toBe(false);
  });
});

describe('toAnswerView', () => {
  it('shows the answer and its deadline without its owner, tenant or bookkeeping', () => {
    // Prepare
    const answer = anAnswer({ status: 'FAILED', reason: 'Try again', chunks: { 0: 'x' } });

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
      deadlineAt: answer.deadlineAt,
    });
  });

  it('shows the streamed text so far while streaming, and only the completion once completed', () => {
    // Act / Assess
    expect(toAnswerView(anAnswer({ status: 'STREAMING', chunks: { 0: 'Hel', 1: 'lo', 3: '!' } })).text).toBe(
      'Hello',
    );
    expect(
      toAnswerView(anAnswer({ status: 'COMPLETED', text: 'Hello there.', chunks: { 0: 'x' } })).text,
    ).toBe('Hello there.');
  });
});
