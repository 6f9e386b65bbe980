import { getAnswer, sessionCache } from '../../src/client';
import { findTenantUser } from '../../src/orders';
import { KNOWN_DEV_PASSWORD } from '../../src/seed';
import type { TestSystem } from '../support/system';
import { cognito, http, type Invocations } from './support';

/** chat-api's functions as `./scripts/invoke-local` runs them. */
export const chatApiTests = (system: TestSystem, invocations: Invocations) => {
  const { session } = sessionCache(() => system.stack.info, KNOWN_DEV_PASSWORD);

  test('chat-api: submitPrompt accepts the prompt, and the system answers it', async () => {
    // Act
    const { statusCode, body } = invocations.http(
      'chat-api',
      'submitPrompt',
      'events/submitPrompt.json',
      'tenant1-user',
    );
    const { userId } = await findTenantUser(cognito(system), system.stack.info.userPoolId, 'tenant1-user');

    // Assess
    expect(statusCode).toBe(202);
    expect(body).toMatchObject({ answerId: expect.stringMatching(new RegExp(`^${userId}\\.`)) });
    expect(http(invocations.ownAnswer)).toMatchObject({
      statusCode: 200,
      body: { answerId: invocations.submitted.answerId },
    });
    await expect(
      getAnswer(system.stack.info, await session('tenant1-user'), invocations.submitted.answerId),
    ).resolves.toMatchObject({
      answerId: invocations.submitted.answerId,
    });
  });

  test('chat-api: getAnswer answers 404 for the sample’s answer, which is not the caller’s', () => {
    // Act
    const { statusCode, body } = invocations.http(
      'chat-api',
      'getAnswer',
      'events/getAnswer.json',
      'tenant1-user',
    );

    // Assess
    expect(statusCode).toBe(404);
    expect(body).toMatchObject({ error: { code: 'ANSWER_NOT_FOUND' } });
  });

  test('chat-api: getUsage shows a tenant admin their own tenant’s month, every day of it', () => {
    // Act
    const { statusCode, body } = invocations.http(
      'chat-api',
      'getUsage',
      'events/getUsage.json',
      'tenant1-admin',
    );

    // Assess
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({ tenantId: 'tenant1', month: '2025-03' });
    expect((body as { days: unknown[] }).days).toHaveLength(31);
  });

  test('chat-api: offboardTenant deletes nothing of an offboarded tenant that has no data left, and says so', () => {
    // Act
    const { response } = invocations.result('chat-api', 'offboardTenant', 'events/offboardTenant.json') as {
      response: { tenantId: string; deleted: Record<string, number> };
    };

    // Assess
    expect(response.tenantId).toBe('tenant9');
    expect(Object.values(response.deleted).every((count) => count === 0)).toBe(true);
    expect(Object.keys(response.deleted).length).toBeGreaterThan(0);
  });

  test('chat-api: listAnswers and listConversations return the caller’s history', () => {
    // Act
    const answers = invocations.http('chat-api', 'listAnswers', 'events/listAnswers.json', 'tenant1-user');
    const conversations = invocations.http(
      'chat-api',
      'listConversations',
      'events/listConversations.json',
      'tenant1-user',
    );

    // Assess
    expect(answers.statusCode).toBe(200);
    expect((answers.body as { answers: { answerId: string }[] }).answers).toContainEqual(
      expect.objectContaining({ answerId: invocations.submitted.answerId }),
    );
    expect(conversations.statusCode).toBe(200);
    expect(
      (conversations.body as { conversations: { conversationId: string }[] }).conversations,
    ).toContainEqual(expect.objectContaining({ conversationId: invocations.submitted.conversationId }));
  });

  test('chat-api: sweepAnswers sweeps (nothing is overdue)', () => {
    // Act
    const { response } = invocations.result('chat-api', 'sweepAnswers', 'events/sweepAnswers.json');

    // Assess
    expect(response).toMatchObject({ found: 0, expired: 0, delivered: 0 });
  });

  test('chat-api: wsConnect accepts a signed-in user, wsDisconnect lets the connection go', () => {
    // Act / Assess
    expect(
      invocations.result('chat-api', 'wsConnect', 'events/wsConnect.json', 'tenant1-user').response,
    ).toMatchObject({
      statusCode: 200,
    });
    expect(invocations.result('chat-api', 'wsDisconnect', 'events/wsDisconnect.json').response).toMatchObject(
      {
        statusCode: 200,
      },
    );
  });

  test('chat-api: onAnswerEvent applies its owner’s event to no answer that is not stored, and refuses a forged one', () => {
    // Act
    const owned = invocations.result(
      'chat-api',
      'onAnswerEvent',
      'events/onAnswerEvent.json',
      'tenant1-user',
    );
    const forged = invocations.result('chat-api', 'onAnswerEvent', 'events/onAnswerEvent-forged.json');

    // Assess
    expect(owned.response).toEqual({ applied: false, reason: 'missing' });
    expect(forged.response).toMatchObject({ refused: true });
  });
};
