import { AnswerNotFoundError, type ApiError, ConversationNotFoundError } from '../errors';
import { ANSWER_ID, json, setup } from '../testing/api-client';
import { USER_SUB } from '../testing/fakes';
import { ADMIN_ONLY_MESSAGE, errorFromResponse } from './api-client';

describe('createApiClient', () => {
  describe('getAnswer', () => {
    it('gets one answer, the id URL-encoded', async () => {
      // Prepare
      const { api, fetchFn } = setup(
        json(200, { answerId: ANSWER_ID, status: 'COMPLETED', text: '10 days', extra: 1 }),
      );

      // Act / Assess
      await expect(api.getAnswer(ANSWER_ID)).resolves.toEqual({
        answerId: ANSWER_ID,
        status: 'COMPLETED',
        text: '10 days',
      });
      expect(fetchFn.mock.calls[0]?.[0]).toBe(
        `https://api.example.com/answers/${encodeURIComponent(ANSWER_ID)}`,
      );
    });

    it('turns 404 into "answer not found" (never more)', async () => {
      // Prepare
      const { api } = setup(json(404, { error: { code: 'NOT_FOUND', message: 'Answer not found' } }));

      // Act / Assess
      await expect(api.getAnswer('someone-else.01')).rejects.toBeInstanceOf(AnswerNotFoundError);
    });

    it('reads the failure reason', async () => {
      // Prepare
      const { api } = setup(
        json(200, { answerId: ANSWER_ID, status: 'FAILED', reason: 'Agent unavailable', text: null }),
      );

      // Act / Assess
      await expect(api.getAnswer(ANSWER_ID)).resolves.toEqual({
        answerId: ANSWER_ID,
        status: 'FAILED',
        reason: 'Agent unavailable',
      });
    });
  });

  describe('listAnswers', () => {
    it("reads chat-api's pages, passing the cursor back and asking for the largest page", async () => {
      // Prepare
      const { api, fetchFn } = setup(
        json(200, {
          conversationId: 'c1',
          answers: [{ answerId: ANSWER_ID, conversationId: 'c1', prompt: 'Hi', status: 'PENDING', text: '' }],
          nextCursor: 'n2',
        }),
      );

      // Act
      const page = await api.listAnswers('c1', 'n1');

      // Assess
      expect(page).toEqual({
        answers: [{ answerId: ANSWER_ID, conversationId: 'c1', prompt: 'Hi', status: 'PENDING' }],
        nextCursor: 'n2',
      });
      expect(fetchFn.mock.calls[0]?.[0]).toBe(
        'https://api.example.com/answers?conversationId=c1&limit=100&cursor=n1',
      );
    });

    it('has no cursor on the last page', async () => {
      // Act / Assess
      await expect(
        setup(json(200, { conversationId: 'c1', answers: [] })).api.listAnswers('c1'),
      ).resolves.toEqual({
        answers: [],
      });
    });

    it('refuses a page that is not a list of answers', async () => {
      // Act / Assess
      await expect(setup(json(200, [])).api.listAnswers('c1')).rejects.toMatchObject({
        code: 'BAD_RESPONSE',
      });
    });
  });
});

describe('errorFromResponse', () => {
  it.each([
    [403, 'Your account is not assigned to a tenant. Contact your administrator.'],
    [413, 'Your prompt is too long: keep it under 4000 characters.'],
    [418, 'The request failed (HTTP 418).'],
  ])('gives a clear message for HTTP %i', async (status, message) => {
    const error = await errorFromResponse(new Response('not json', { status }));
    expect(error.userMessage).toBe(message);
    expect(error.code).toBe(`HTTP_${status}`);
  });

  describe('listConversations', () => {
    it('reads one page of conversations, passing the cursor back', async () => {
      // Prepare
      const { api, fetchFn } = setup(
        json(200, {
          conversations: [
            { conversationId: 'c1', title: 'Return policy?', createdAt: 'x', lastPromptAt: 'y' },
          ],
          nextCursor: 'next',
        }),
      );

      // Act
      const page = await api.listConversations('abc');

      // Assess
      expect(page).toEqual({
        conversations: [{ conversationId: 'c1', title: 'Return policy?', lastPromptAt: 'y' }],
        nextCursor: 'next',
      });
      expect(fetchFn.mock.calls[0]?.[0]).toBe('https://api.example.com/conversations?limit=20&cursor=abc');
    });
  });

  it("turns a conversation's 404 into 'conversation not found'", async () => {
    // Prepare
    const { api } = setup(
      json(404, { error: { code: 'CONVERSATION_NOT_FOUND', message: 'Conversation not found' } }),
    );

    // Act / Assess
    await expect(api.listAnswers('theirs')).rejects.toBeInstanceOf(ConversationNotFoundError);
  });

  describe('getUsage', () => {
    const totals = { inputTokens: 2, outputTokens: 1, totalTokens: 3, prompts: 1 };
    const view = {
      tenantId: 'tenant1',
      tier: 'basic',
      status: 'ACTIVE',
      month: '2026-03',
      totals,
      monthlyTokenBudget: 200_000,
      budgetUsed: 0.000015,
      days: [{ day: '2026-03-01', ...totals }],
      users: [{ userId: USER_SUB, ...totals }],
    };

    it('reads the month of the caller’s tenant', async () => {
      // Prepare
      const { api, fetchFn } = setup(json(200, view));

      // Act
      const usage = await api.getUsage('2026-03');

      // Assess
      expect(usage).toEqual(view);
      expect(fetchFn.mock.calls[0]?.[0]).toBe('https://api.example.com/usage?month=2026-03');
    });

    it('tells a user who is no admin that usage is for administrators', async () => {
      // Prepare
      const { api } = setup(
        json(403, {
          error: { code: 'ADMIN_ROLE_REQUIRED', message: 'This action requires the tenant admin role' },
        }),
      );

      // Act
      const refusal = (await api.getUsage().catch((error: unknown) => error)) as ApiError;

      // Assess
      expect(refusal.statusCode).toBe(403);
      expect(refusal.userMessage).toBe(ADMIN_ONLY_MESSAGE);
    });

    it('refuses a malformed month without calling the API', async () => {
      // Prepare
      const { api, fetchFn } = setup(json(200, view));

      // Act
      const refusal = (await api.getUsage('2026-3').catch((error: unknown) => error)) as ApiError;

      // Assess
      expect(refusal.code).toBe('INVALID_MONTH');
      expect(fetchFn).not.toHaveBeenCalled();
    });
  });
});
