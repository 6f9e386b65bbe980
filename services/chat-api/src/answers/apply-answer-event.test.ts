import { ANSWER_FAILURE_REASONS } from '@tenant-assistant/contracts/events';
import type { AnswerId } from '@tenant-assistant/tenant-context';
import { anAnswer, chunkOf, completionOf } from '../../test/support/answers';
import { silentLogger } from '../../test/support/deps';
import {
  memoryAnswers,
  memoryConnections,
  recordingLimiter,
  recordingPusher,
} from '../../test/support/memory';
import { type AnswerEventDeps, applyAnswerEvent } from './apply-answer-event';
import { TIMED_OUT_REASON } from './model';

const NOW = new Date('2025-03-01T12:00:00.000Z');

const makeDeps = async (overrides: Partial<AnswerEventDeps> = {}, answer = anAnswer()) => {
  const answers = memoryAnswers();
  await answers.repository.create(answer);
  const pusher = recordingPusher();
  const limiter = recordingLimiter();
  const connections = memoryConnections([
    {
      connectionId: 'own',
      tenantId: answer.tenantId,
      userId: answer.userId,
      connectedAt: NOW.toISOString(),
      expiresAt: 2_000_000_000,
    },
  ]);
  const deps: AnswerEventDeps = {
    answers: answers.repository,
    limiter: limiter.limiter,
    connections: connections.repository,
    pusher: pusher.pusher,
    clock: () => NOW,
    logger: silentLogger(),
    ...overrides,
  };
  return { deps, answer, answers, sent: pusher.sent, limiter };
};

describe('applyAnswerEvent', () => {
  it('stores a chunk with one conditional write, reads nothing, and pushes its seq and text', async () => {
    // Prepare
    const { deps, answer, answers, sent } = await makeDeps();

    // Act
    const outcome = await applyAnswerEvent(deps, chunkOf(answer, 0, 'Hello'));

    // Assess
    expect(outcome).toMatchObject({ applied: true, push: { delivered: 1 } });
    expect(answers.calls).toMatchObject({ saveChunk: 1, get: 0 });
    expect(answers.stored(answer.userId, answer.answerId)).toMatchObject({
      status: 'STREAMING',
      chunks: { 0: 'Hello' },
    });
    expect(sent.map((push) => push.message)).toEqual([
      { type: 'answer.chunk', answerId: answer.answerId, seq: 0, delta: 'Hello' },
    ]);
  });

  it('pushes chunks that arrive out of order each with its own seq, for the client to order', async () => {
    // Prepare
    const { deps, answer, answers, sent } = await makeDeps();

    // Act
    await applyAnswerEvent(deps, chunkOf(answer, 1, ' world'));
    await applyAnswerEvent(deps, chunkOf(answer, 0, 'Hello'));

    // Assess
    expect(sent.map((push) => push.message)).toEqual([
      expect.objectContaining({ seq: 1, delta: ' world' }),
      expect.objectContaining({ seq: 0, delta: 'Hello' }),
    ]);
    expect(answers.stored(answer.userId, answer.answerId)?.chunks).toEqual({ 0: 'Hello', 1: ' world' });
  });

  it('applies the completion of an answer whose chunks are written concurrently, with no retry and no read', async () => {
    // Prepare
    const { deps, answer, answers } = await makeDeps();
    const chunks = Array.from({ length: 30 }, (_, seq) => chunkOf(answer, seq, `c${seq} `));

    // Act
    const outcomes = await Promise.all([
      ...chunks.map((chunk) => applyAnswerEvent(deps, chunk)),
      applyAnswerEvent(deps, completionOf(answer, 'The whole answer.')),
    ]);

    // Assess
    expect(outcomes.at(-1)).toMatchObject({ applied: true });
    expect(answers.calls.complete).toBe(1);
    expect(answers.stored(answer.userId, answer.answerId)).toMatchObject({
      status: 'COMPLETED',
      text: 'The whole answer.',
      chunks: {},
    });
  });

  it('never reopens a final answer: a late chunk, completion or failure changes nothing and pushes nothing', async () => {
    // Prepare
    const { deps, answer, answers, sent } = await makeDeps();
    await applyAnswerEvent(deps, completionOf(answer, 'Done.'));
    sent.length = 0;

    // Act
    const lateChunk = await applyAnswerEvent(deps, chunkOf(answer, 7, 'late'));
    const lateCompletion = await applyAnswerEvent(deps, completionOf(answer, 'Other text.'));
    const lateFailure = await applyAnswerEvent(deps, {
      detailType: 'AnswerFailed',
      detail: {
        tenantId: answer.tenantId,
        userId: answer.userId,
        answerId: answer.answerId,
        reason: ANSWER_FAILURE_REASONS.busy,
      },
    });

    // Assess
    expect([lateChunk, lateCompletion, lateFailure]).toEqual([
      { applied: false, reason: 'final' },
      { applied: false, reason: 'final' },
      { applied: false, reason: 'final' },
    ]);
    expect(answers.stored(answer.userId, answer.answerId)).toMatchObject({
      status: 'COMPLETED',
      text: 'Done.',
      chunks: {},
    });
    expect(sent).toEqual([]);
  });

  it('ends an open answer past its deadline when a late event arrives: FAILED (timed out), pushed to the owner', async () => {
    // Prepare
    const { deps, answer, answers, sent } = await makeDeps(
      {},
      anAnswer({ deadlineAt: '2025-03-01T11:59:59.000Z' }),
    );

    // Act
    const outcome = await applyAnswerEvent(deps, completionOf(answer, 'Too late.'));
    const again = await applyAnswerEvent(deps, chunkOf(answer, 0, 'Later still'));

    // Assess
    expect(outcome).toEqual({
      applied: false,
      reason: 'timed-out',
      push: { delivered: 1, removed: 0, failed: 0 },
    });
    expect(again).toEqual({ applied: false, reason: 'final' });
    expect(answers.stored(answer.userId, answer.answerId)).toMatchObject({
      status: 'FAILED',
      reason: TIMED_OUT_REASON,
      text: '',
    });
    expect(sent.map((push) => push.message)).toEqual([
      { type: 'answer.failed', answerId: answer.answerId, reason: TIMED_OUT_REASON },
    ]);
  });

  it('completes an open answer with one conditional write, without reading it first', async () => {
    // Prepare
    const { deps, answer, answers } = await makeDeps();

    // Act
    const outcome = await applyAnswerEvent(deps, completionOf(answer, 'Done.'));

    // Assess
    expect(outcome).toMatchObject({ applied: true });
    expect(answers.calls.get).toBe(0);
    expect(answers.stored(answer.userId, answer.answerId)).toMatchObject({
      status: 'COMPLETED',
      text: 'Done.',
    });
  });

  it('reads the answer only when the completion is refused, to tell a final answer from a missing one', async () => {
    // Prepare
    const { deps, answer } = await makeDeps();
    const completion = (answerId: AnswerId) => ({
      detailType: 'AnswerCompleted' as const,
      detail: { tenantId: answer.tenantId, userId: answer.userId, answerId, text: 'Done.' },
    });
    await applyAnswerEvent(deps, completion(answer.answerId as AnswerId));

    // Act
    const again = await applyAnswerEvent(deps, completion(answer.answerId as AnswerId));
    const unknown = await applyAnswerEvent(
      deps,
      completion(`${answer.userId}.01JD0000000000000000000009` as AnswerId),
    );

    // Assess
    expect(again).toEqual({ applied: false, reason: 'final' });
    expect(unknown).toEqual({ applied: false, reason: 'missing' });
  });

  it("frees the answer's in-flight slot of its own tenant when it completes or fails, and not for a chunk", async () => {
    // Prepare
    const { deps, answer, limiter } = await makeDeps();
    const owner = { tenantId: answer.tenantId, userId: answer.userId, answerId: answer.answerId as AnswerId };

    // Act
    await applyAnswerEvent(deps, { detailType: 'AnswerChunk', detail: { ...owner, seq: 0, text: 'Hi' } });
    const afterChunk = [...limiter.released];
    await applyAnswerEvent(deps, {
      detailType: 'AnswerFailed',
      detail: { ...owner, reason: ANSWER_FAILURE_REASONS.timeout },
    });

    // Assess
    expect(afterChunk).toEqual([]);
    expect(limiter.released).toEqual([`${answer.tenantId}/${answer.answerId}`]);
  });

  it('frees the slot again for a redelivered completion (the answer is final already; freeing is idempotent)', async () => {
    // Prepare
    const { deps, answer, limiter } = await makeDeps();
    const completion = completionOf(answer, 'Done.');
    await applyAnswerEvent(deps, completion);

    // Act
    const again = await applyAnswerEvent(deps, completion);

    // Assess
    expect(again).toEqual({ applied: false, reason: 'final' });
    expect(limiter.released).toHaveLength(2);
  });

  it('fails (so the event is retried) when the connections cannot be looked up, after applying the completion', async () => {
    // Prepare
    const { deps, answer, answers } = await makeDeps({
      connections: {
        ...memoryConnections().repository,
        listByUser: async () => {
          throw new Error('DynamoDB unavailable');
        },
      },
    });

    // Act
    const attempt = applyAnswerEvent(deps, {
      detailType: 'AnswerFailed',
      detail: {
        tenantId: answer.tenantId,
        userId: answer.userId,
        answerId: answer.answerId,
        reason: ANSWER_FAILURE_REASONS.unavailable,
      },
    });

    // Assess
    await expect(attempt).rejects.toThrow('DynamoDB unavailable');
    expect(answers.stored(answer.userId, answer.answerId)?.status).toBe('FAILED');
  });
});
