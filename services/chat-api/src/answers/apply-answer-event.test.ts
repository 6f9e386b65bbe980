import type { AnswerId } from '@tenant-assistant/tenant-context';
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
});
