import { lambdaContext } from '@tenant-assistant/testing';
import { anAnswer, newUserId } from '../../../test/support/answers';
import { silentLogger } from '../../../test/support/deps';
import { memoryAnswers, memoryConnections, recordingPusher } from '../../../test/support/memory';
import { TIMED_OUT_REASON } from '../../answers/model';
import type { Connection } from '../../ports';
import { createHandler } from './handler';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const PAST = '2025-03-01T11:59:00.000Z';
const FUTURE = '2025-03-01T12:01:00.000Z';

const connectionOf = (connectionId: string, answer: ReturnType<typeof anAnswer>): Connection => ({
  connectionId,
  tenantId: answer.tenantId,
  userId: answer.userId,
  connectedAt: NOW.toISOString(),
  expiresAt: 2_000_000_000,
});

const setup = async (stored: ReturnType<typeof anAnswer>[], connections: Connection[] = []) => {
  const answers = memoryAnswers();
  for (const answer of stored) await answers.repository.create(answer);
  const pusher = recordingPusher();
  const deps = {
    answers: answers.repository,
    connections: memoryConnections(connections).repository,
    pusher: pusher.pusher,
    clock: () => NOW,
    logger: silentLogger(),
  };
  return { answers, sent: pusher.sent, deps, handler: createHandler(deps) };
};

describe('sweepAnswers handler', () => {
  it('ends a stale answer (FAILED, timed out) and pushes the failure to its owner only', async () => {
    // Prepare
    const stale = anAnswer({ status: 'STREAMING', chunks: { 0: 'Half an' }, deadlineAt: PAST });
    const neighbour = anAnswer({ userId: newUserId(), deadlineAt: FUTURE });
    const { answers, sent, handler } = await setup(
      [stale, neighbour],
      [connectionOf('owner=', stale), connectionOf('neighbour=', neighbour)],
    );

    // Act
    const outcome = await handler({}, lambdaContext());

    // Assess
    expect(outcome).toEqual({ found: 1, expired: 1, delivered: 1 });
    expect(answers.stored(stale.userId, stale.answerId)).toMatchObject({
      status: 'FAILED',
      reason: TIMED_OUT_REASON,
    });
    expect(sent).toEqual([
      {
        connectionId: 'owner=',
        message: { type: 'answer.failed', answerId: stale.answerId, reason: TIMED_OUT_REASON },
      },
    ]);
  });

  it('leaves answers before their deadline and answers that already ended alone', async () => {
    // Prepare
    const early = anAnswer({ deadlineAt: FUTURE });
    const completed = anAnswer({ status: 'COMPLETED', text: 'Done.', deadlineAt: PAST });
    const { answers, sent, handler } = await setup([early, completed], [connectionOf('c=', early)]);

    // Act
    const outcome = await handler({}, lambdaContext());

    // Assess
    expect(outcome).toEqual({ found: 0, expired: 0, delivered: 0 });
    expect(answers.stored(early.userId, early.answerId)?.status).toBe('PENDING');
    expect(answers.stored(completed.userId, completed.answerId)?.status).toBe('COMPLETED');
    expect(sent).toEqual([]);
  });

  it('ends every stale answer over several rounds, and keeps going when one cannot be ended', async () => {
    // Prepare
    const stale = Array.from({ length: 7 }, () => anAnswer({ deadlineAt: PAST }));
    const { answers, deps } = await setup(stale);
    const broken = stale[0];
    const expire = deps.answers.expire.bind(deps.answers);
    deps.answers.expire = async (key, tenantId, now) => {
      if (key.answerId === broken?.answerId) throw new Error('throttled');
      return expire(key, tenantId, now);
    };
    const { sweepOverdueAnswers } = await import('../../answers/deadline');

    // Act
    const outcome = await sweepOverdueAnswers(deps, { batch: 3 });

    // Assess
    expect(outcome.expired).toBe(6);
    expect(
      stale.filter((answer) => answers.stored(answer.userId, answer.answerId)?.status === 'FAILED'),
    ).toHaveLength(6);
  });

  it('ends an orphan (stored, never published) once its deadline passes', async () => {
    // Prepare: submitPrompt crashed after storing the answer and before publishing it
    const orphan = anAnswer({ deadlineAt: PAST });
    const { answers, handler } = await setup([orphan]);

    // Act
    await handler({}, lambdaContext());

    // Assess
    expect(answers.stored(orphan.userId, orphan.answerId)).toMatchObject({
      status: 'FAILED',
      reason: TIMED_OUT_REASON,
    });
  });
});
