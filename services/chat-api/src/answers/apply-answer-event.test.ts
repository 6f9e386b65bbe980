import type { AnswerId } from '@tenant-assistant/tenant-context';
import { ANSWER_FAILURE_REASONS } from '@tenant-assistant/tenant-context/events';
import { anAnswer } from '../../test/support/answers';
import { silentLogger } from '../../test/support/deps';
import { memoryAnswers, memoryConnections, recordingPusher } from '../../test/support/memory';
import { AnswerVersionConflictError } from '../errors';
import { type AnswerEventDeps, applyAnswerEvent } from './apply-answer-event';

const NOW = new Date('2025-03-01T12:00:00.000Z');

const makeDeps = async (overrides: Partial<AnswerEventDeps> = {}) => {
  const answer = anAnswer();
  const answers = memoryAnswers();
  await answers.repository.create(answer);
  const pusher = recordingPusher();
  const deps: AnswerEventDeps = {
    answers: answers.repository,
    connections: memoryConnections().repository,
    pusher: pusher.pusher,
    clock: () => NOW,
    logger: silentLogger(),
    backoff: async () => {},
    ...overrides,
  };
  return { deps, answer, answers };
};

const chunkOf = (answer: ReturnType<typeof anAnswer>, seq: number, text: string) => ({
  detailType: 'AnswerChunk' as const,
  detail: {
    tenantId: answer.tenantId,
    userId: answer.userId,
    answerId: answer.answerId as AnswerId,
    seq,
    text,
  },
});

describe('applyAnswerEvent', () => {
  it('re-reads and retries when another chunk changed the answer in between', async () => {
    // Prepare
    const { deps, answer, answers } = await makeDeps();
    const save = answers.repository.saveProgress.bind(answers.repository);
    let conflicts = 2;
    deps.answers = {
      ...answers.repository,
      saveProgress: async (...args) => {
        if (conflicts-- > 0) throw new AnswerVersionConflictError();
        return save(...args);
      },
    };

    // Act
    const outcome = await applyAnswerEvent(deps, chunkOf(answer, 0, 'Hello'));

    // Assess
    expect(outcome).toMatchObject({ applied: true });
    expect(answers.stored(answer.userId, answer.answerId)?.text).toBe('Hello');
  });

  it('gives up after maxAttempts so the invocation fails and is retried later', async () => {
    // Prepare
    const backoff = jest.fn(async () => {});
    const { deps, answer, answers } = await makeDeps({ maxAttempts: 3, backoff });
    deps.answers = {
      ...answers.repository,
      saveProgress: async () => {
        throw new AnswerVersionConflictError();
      },
    };

    // Act
    const attempt = applyAnswerEvent(deps, chunkOf(answer, 0, 'Hello'));

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(AnswerVersionConflictError);
    expect(backoff.mock.calls).toEqual([[1], [2]]);
  });

  it('keeps an early chunk without pushing anything until the gap is filled', async () => {
    // Prepare
    const { deps, answer, answers } = await makeDeps();

    // Act
    const outcome = await applyAnswerEvent(deps, chunkOf(answer, 1, 'world'));

    // Assess
    expect(outcome).toEqual({ applied: true, push: { delivered: 0, removed: 0, failed: 0 } });
    expect(answers.stored(answer.userId, answer.answerId)).toMatchObject({
      text: '',
      lastSeq: -1,
      pendingChunks: { 1: 'world' },
    });
  });

  it('completes an open answer with one conditional write, without reading it first', async () => {
    // Prepare
    const { deps, answer, answers } = await makeDeps();
    const get = jest.spyOn(deps.answers, 'get');

    // Act
    const outcome = await applyAnswerEvent(deps, {
      detailType: 'AnswerCompleted',
      detail: { tenantId: answer.tenantId, userId: answer.userId, answerId: answer.answerId, text: 'Done.' },
    });

    // Assess
    expect(outcome).toMatchObject({ applied: true });
    expect(get).not.toHaveBeenCalled();
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
