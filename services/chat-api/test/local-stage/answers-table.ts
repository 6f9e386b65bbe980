import { applyAnswerEvent } from '../../src/answers/apply-answer-event';
import { type Answer, streamedText, TIMED_OUT_REASON } from '../../src/answers/model';
import { AnswerAlreadyExistsError } from '../../src/errors';
import type { ServerMessage } from '../../src/ports';
import { anAnswer, chunkOf, completionOf, newUserId, OTHER_TENANT } from '../support/answers';
import { silentLogger } from '../support/deps';
import { answersTable, NOW } from '../support/local-stage';

// Registered by ../local-stage.test.ts, which starts the local stage once before these run.
describe('answers table on DynamoDB Local', () => {
  it('creates an answer once and reads it back', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();

    // Act
    await answers.create(answer);
    const again = answers.create(answer);

    // Assess
    await expect(again).rejects.toBeInstanceOf(AnswerAlreadyExistsError);
    expect(await answers.get(answer)).toEqual(answer);
  });

  it("pages through one conversation of one user, oldest first, and nobody else's", async () => {
    // Prepare
    const answers = answersTable();
    const userId = newUserId();
    const inConversation = [
      anAnswer({ userId, conversationId: 'c-1' }),
      anAnswer({ userId, conversationId: 'c-1' }),
    ];
    for (const answer of [
      ...inConversation,
      anAnswer({ userId, conversationId: 'c-10' }),
      anAnswer({ conversationId: 'c-1' }),
    ]) {
      await answers.create(answer);
    }

    // Act
    const first = await answers.listByConversation(userId, 'c-1', { limit: 1 });
    const second = await answers.listByConversation(userId, 'c-1', {
      limit: 1,
      ...(first.lastAnswerId ? { after: first.lastAnswerId } : {}),
    });
    const rest = await answers.listByConversation(userId, 'c-1', {
      limit: 5,
      ...(second.lastAnswerId ? { after: second.lastAnswerId } : {}),
    });

    // Assess
    expect([...first.answers, ...second.answers, ...rest.answers].map((answer) => answer.answerId)).toEqual(
      inConversation.map((answer) => answer.answerId),
    );
    expect(rest.lastAnswerId).toBeUndefined();
  });

  it('stores chunks by seq without contention, and never after the answer ended or its deadline passed', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();
    const late = anAnswer({ deadlineAt: '2025-03-01T11:00:00.000Z' });
    await answers.create(answer);
    await answers.create(late);

    // Act
    const written = await Promise.all(
      [2, 0, 1, 0].map((seq) => answers.saveChunk(answer, answer.tenantId, seq, `${seq};`, NOW)),
    );
    const foreign = await answers.saveChunk(answer, OTHER_TENANT, 3, 'x', NOW);
    const pastDeadline = await answers.saveChunk(late, late.tenantId, 0, 'x', NOW);
    await answers.complete(answer, answer.tenantId, 'Done.', NOW);
    const afterEnd = await answers.saveChunk(answer, answer.tenantId, 4, 'x', NOW);

    // Assess
    expect(written).toEqual([true, true, true, true]);
    expect([foreign, pastDeadline, afterEnd]).toEqual([false, false, false]);
    expect(await answers.get(answer)).toMatchObject({ status: 'COMPLETED', text: 'Done.', chunks: {} });
    expect(await answers.get(late)).toMatchObject({ status: 'PENDING', chunks: {} });
  });

  it('lists open answers past their deadline for the sweeper, and forgets them once expired', async () => {
    // Prepare
    const answers = answersTable();
    const overdue = [1, 2, 3, 4, 5].map(() => anAnswer({ deadlineAt: '2025-03-01T11:59:00.000Z' }));
    const notYet = anAnswer({ deadlineAt: '2025-03-01T12:01:00.000Z' });
    const ended = anAnswer({ deadlineAt: '2025-03-01T11:58:00.000Z' });
    for (const answer of [...overdue, notYet, ended]) await answers.create(answer);
    await answers.complete(ended, ended.tenantId, 'Done.', new Date('2025-03-01T11:57:00.000Z'));

    // Act
    const found = await answers.listOverdue(NOW, 100);
    const notBefore = await answers.expire(notYet, notYet.tenantId, NOW);
    const expired = await Promise.all(overdue.map((answer) => answers.expire(answer, answer.tenantId, NOW)));
    const again = await answers.listOverdue(NOW, 100);

    // Assess
    const ids = (list: { answerId: string }[]) => list.map((answer) => answer.answerId).sort();
    expect(ids(found.filter((answer) => overdue.some((o) => o.answerId === answer.answerId)))).toEqual(
      ids(overdue),
    );
    expect(ids(found)).not.toContain(notYet.answerId);
    expect(ids(found)).not.toContain(ended.answerId);
    expect(found[0]).toEqual({
      userId: expect.any(String),
      answerId: expect.any(String),
      tenantId: overdue[0]?.tenantId,
    });
    expect(notBefore).toBe(false);
    expect(expired).toEqual([true, true, true, true, true]);
    expect(ids(again).filter((id) => ids(overdue).includes(id))).toEqual([]);
    expect(await answers.get(overdue[0] as Answer)).toMatchObject({
      status: 'FAILED',
      reason: TIMED_OUT_REASON,
    });
  });

  it("lists a user's conversations newest first with their first prompt as title, page by page, never another user's", async () => {
    // Prepare
    const answers = answersTable();
    const [alice, bob] = [newUserId(), newUserId()];
    const at = (minute: number) => `2025-03-01T12:${String(minute).padStart(2, '0')}:00.000Z`;
    await answers.create(
      anAnswer({ userId: alice, conversationId: 'c-old', prompt: 'First question', createdAt: at(1) }),
    );
    await answers.create(
      anAnswer({ userId: alice, conversationId: 'c-new', prompt: 'Another topic', createdAt: at(2) }),
    );
    await answers.create(
      anAnswer({ userId: alice, conversationId: 'c-old', prompt: 'Follow-up', createdAt: at(3) }),
    );
    await answers.create(
      anAnswer({ userId: bob, conversationId: 'c-bob', prompt: 'Bob asks', createdAt: at(4) }),
    );

    // Act
    const first = await answers.listConversations(alice, { limit: 1 });
    const second = await answers.listConversations(alice, {
      limit: 1,
      ...(first.last ? { after: first.last } : {}),
    });
    const third = await answers.listConversations(alice, {
      limit: 1,
      ...(second.last ? { after: second.last } : {}),
    });

    // Assess
    expect(first.conversations).toEqual([
      expect.objectContaining({
        conversationId: 'c-old',
        title: 'First question',
        createdAt: at(1),
        lastPromptAt: at(3),
      }),
    ]);
    expect(second.conversations).toEqual([
      expect.objectContaining({ conversationId: 'c-new', title: 'Another topic' }),
    ]);
    expect(third.conversations).toEqual([]);
    expect(third.last).toBeUndefined();
  });

  it('finishes an answer once, and only for its own tenant', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();
    await answers.create(answer);

    // Act
    const foreign = await answers.complete(answer, OTHER_TENANT, 'injected', NOW);
    const completed = await answers.complete(answer, answer.tenantId, 'Done.', NOW);
    const failedAfter = await answers.fail(answer, answer.tenantId, 'late failure', NOW);
    const missing = await answers.fail(anAnswer(), answer.tenantId, 'no such answer', NOW);

    // Assess
    expect([foreign, completed, failedAfter, missing]).toEqual([false, true, false, false]);
    expect(await answers.get(answer)).toMatchObject({
      status: 'COMPLETED',
      text: 'Done.',
      completedAt: NOW.toISOString(),
    });
  });

  it('stores concurrent, duplicate and out-of-order chunks and completes the answer among them', async () => {
    // Prepare
    const answers = answersTable();
    const answer = anAnswer();
    await answers.create(answer);
    const pushed: ServerMessage[] = [];
    const deps = {
      answers,
      connections: {
        put: async () => {},
        delete: async () => {},
        listByUser: async () => [{ connectionId: 'c=', tenantId: answer.tenantId }],
      },
      pusher: { post: async (_id: string, message: ServerMessage) => void pushed.push(message) },
      limiter: { release: async () => {} },
      clock: () => NOW,
      logger: silentLogger(),
    };
    const words = ['Your ', 'order ', 'ships ', 'on ', 'Monday.'];
    const arrivals = [3, 0, 4, 1, 0, 2, 3].map((seq) => chunkOf(answer, seq, words[seq] as string));

    // Act
    await Promise.all(arrivals.map((event) => applyAnswerEvent(deps, event)));
    const streaming = await answers.get(answer);
    const outcomes = await Promise.all([
      ...arrivals.map((event) => applyAnswerEvent(deps, event)),
      applyAnswerEvent(deps, completionOf(answer, 'Your order ships on Monday.')),
    ]);

    // Assess
    expect(streaming && streamedText(streaming.chunks)).toBe('Your order ships on Monday.');
    expect(outcomes.at(-1)).toMatchObject({ applied: true });
    expect(await answers.get(answer)).toMatchObject({
      status: 'COMPLETED',
      text: 'Your order ships on Monday.',
    });
    expect(pushed.filter((message) => message.type === 'answer.chunk').length).toBeGreaterThanOrEqual(
      arrivals.length,
    );
    expect(pushed.filter((message) => message.type === 'answer.completed')).toHaveLength(1);
  });
});
