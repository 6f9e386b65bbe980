import { ANSWER_FAILURE_REASONS } from '@tenant-assistant/contracts/events';
import { lambdaContext } from '@tenant-assistant/testing';
import * as answerEvents from '../../../test/support/answer-events';
import { newUserId, OTHER_TENANT } from '../../../test/support/answers';
import { streamedText } from '../../answers/model';

describe('onAnswerEvent handler', () => {
  it("applies a chunk and pushes it to the owner's connections only", async () => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup();

    // Act
    const outcome = await handler(answerEvents.chunk(answer, 0, 'Your order '), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: true, push: { delivered: 2, removed: 0, failed: 0 } });
    expect(stored()).toMatchObject({ status: 'STREAMING', chunks: { 0: 'Your order ' } });
    const message = { type: 'answer.chunk', answerId: answer.answerId, seq: 0, delta: 'Your order ' };
    expect(answerEvents.pushes()).toEqual([
      { connectionId: 'owner-tab-1=', message },
      { connectionId: 'owner-tab-2=', message },
    ]);
  });

  it('never pushes to a connection of the same user opened under another tenant', async () => {
    // Prepare
    const owner = newUserId();
    const { handler, answer } = await answerEvents.setup({
      answer: { userId: owner },
      extraConnections: [answerEvents.connection('other-tenant=', owner, OTHER_TENANT)],
    });

    // Act
    await handler(answerEvents.chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(answerEvents.pushes().map((push) => push.connectionId)).not.toContain('other-tenant=');
  });

  it('stores duplicate and out-of-order chunks by seq and pushes each as it arrives, for the client to order', async () => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup();
    const arrivals: [number, string][] = [
      [2, 'is '],
      [0, 'The window '],
      [0, 'The window '],
      [3, '30 days.'],
      [1, 'for returns '],
    ];

    // Act
    for (const [seq, text] of arrivals) await handler(answerEvents.chunk(answer, seq, text), lambdaContext());

    // Assess
    expect(stored() && streamedText(stored()?.chunks ?? {})).toBe('The window for returns is 30 days.');
    const tab1 = answerEvents
      .pushes()
      .filter((push) => push.connectionId === 'owner-tab-1=')
      .map((push) => [push.message.seq, push.message.delta]);
    expect(tab1).toEqual(arrivals);
  });

  it('stores every chunk delivered concurrently, each with one write and no retry', async () => {
    // Prepare
    const { handler, answer, stored, answers } = await answerEvents.setup();
    const texts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const events = texts
      .flatMap((text, seq) => [answerEvents.chunk(answer, seq, text), answerEvents.chunk(answer, seq, text)])
      .reverse();

    // Act
    await Promise.all(events.map((event) => handler(event, lambdaContext())));

    // Assess
    expect(streamedText(stored()?.chunks ?? {})).toBe('abcdefgh');
    expect(answers.calls).toMatchObject({ saveChunk: events.length, get: 0 });
  });

  it('applies completion once and ignores chunks that come after it', async () => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup();
    await handler(answerEvents.chunk(answer, 0, 'Partial'), lambdaContext());
    answerEvents.apiGateway.resetHistory();

    // Act
    const first = await handler(answerEvents.completed(answer, 'Partial and complete.'), lambdaContext());
    const again = await handler(answerEvents.completed(answer, 'Something else'), lambdaContext());
    const late = await handler(answerEvents.chunk(answer, 1, ' late'), lambdaContext());

    // Assess
    expect(first).toEqual({ applied: true, push: { delivered: 2, removed: 0, failed: 0 } });
    expect(again).toEqual({ applied: false, reason: 'final' });
    expect(late).toEqual({ applied: false, reason: 'final' });
    expect(stored()).toMatchObject({
      status: 'COMPLETED',
      text: 'Partial and complete.',
      completedAt: answerEvents.NOW.toISOString(),
    });
    expect(answerEvents.pushes().map((push) => push.message)).toEqual([
      { type: 'answer.completed', answerId: answer.answerId, text: 'Partial and complete.' },
      { type: 'answer.completed', answerId: answer.answerId, text: 'Partial and complete.' },
    ]);
  });

  it('marks the answer FAILED with the reason and pushes it', async () => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup();

    // Act
    const outcome = await handler(
      answerEvents.failed(answer, ANSWER_FAILURE_REASONS.timeout),
      lambdaContext(),
    );
    const afterwards = await handler(answerEvents.completed(answer, 'too late'), lambdaContext());

    // Assess
    expect(outcome).toMatchObject({ applied: true });
    expect(afterwards).toEqual({ applied: false, reason: 'final' });
    expect(stored()).toMatchObject({
      status: 'FAILED',
      reason: ANSWER_FAILURE_REASONS.timeout,
    });
    expect(answerEvents.pushes()[0]?.message).toEqual({
      type: 'answer.failed',
      answerId: answer.answerId,
      reason: ANSWER_FAILURE_REASONS.timeout,
    });
  });
});
