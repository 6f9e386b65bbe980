import {
  AnswerNotFoundError,
  type ApiError,
  ConversationNotFoundError,
  NetworkError,
  RateLimitedError,
  ServiceUnavailableError,
  SessionExpiredError,
} from '../errors';
import { answerIdOf, USER_SUB } from '../testing/fakes';
import { ADMIN_ONLY_MESSAGE, createApiClient, errorFromResponse, MAX_PROMPT_LENGTH } from './api-client';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const setup = (response: Response | (() => Promise<Response>)) => {
  const fetchFn = jest.fn(async (_url: string, _init?: RequestInit) =>
    typeof response === 'function' ? response() : response,
  );
  const onUnauthorized = jest.fn();
  const sleeps: number[] = [];
  const api = createApiClient({
    apiUrl: 'https://api.example.com',
    fetch: fetchFn as unknown as typeof fetch,
    getIdToken: async () => 'id-token',
    onUnauthorized,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { api, fetchFn, onUnauthorized, sleeps };
};

const ANSWER_ID = answerIdOf(USER_SUB);

describe('createApiClient', () => {
  describe('submitPrompt', () => {
    it('posts the prompt with the ID token as Bearer and returns answer and conversation ids', async () => {
      // Prepare
      const { api, fetchFn } = setup(json(202, { answerId: ANSWER_ID, conversationId: 'c1' }));

      // Act
      const result = await api.submitPrompt('  What is your return policy? ', 'c1');

      // Assess
      expect(result).toEqual({ answerId: ANSWER_ID, conversationId: 'c1' });
      const [url, init = {}] = fetchFn.mock.calls[0] ?? [];
      expect(url).toBe('https://api.example.com/prompts');
      expect(init.method).toBe('POST');
      expect(init.headers).toMatchObject({
        authorization: 'Bearer id-token',
        'content-type': 'application/json',
      });
      expect(JSON.parse(init.body as string)).toEqual({
        prompt: 'What is your return policy?',
        conversationId: 'c1',
      });
    });

    it('sends no conversationId for a new conversation', async () => {
      // Prepare
      const { api, fetchFn } = setup(json(202, { answerId: ANSWER_ID, conversationId: 'new' }));

      // Act
      await api.submitPrompt('Hi');

      // Assess
      const init = fetchFn.mock.calls[0]?.[1] ?? {};
      expect(JSON.parse(init.body as string)).toEqual({ prompt: 'Hi' });
    });

    it('refuses empty and oversize prompts without calling the API', async () => {
      // Prepare
      const { api, fetchFn } = setup(json(202, {}));

      // Act / Assess
      await expect(api.submitPrompt('   ')).rejects.toMatchObject({ userMessage: 'Type a question first.' });
      await expect(api.submitPrompt('x'.repeat(MAX_PROMPT_LENGTH + 1))).rejects.toMatchObject({
        statusCode: 413,
      });
      expect(fetchFn).not.toHaveBeenCalled();
    });

    it('turns 429 into a rate-limit message with the Retry-After wait', async () => {
      // Prepare
      const { api } = setup(
        json(429, { error: { code: 'RATE_LIMITED', message: 'Too many prompts' } }, { 'retry-after': '30' }),
      );

      // Act
      const error = await api.submitPrompt('Hi').catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({
        statusCode: 429,
        retryAfterSeconds: 30,
        userMessage: 'You are sending prompts too quickly. Wait about 30 seconds and try again.',
      });
    });

    it.each([
      [
        'TENANT_RATE_LIMITED',
        '12',
        'Your organisation is sending too many prompts right now. Wait about 12 seconds and try again.',
      ],
      [
        'USER_RATE_LIMITED',
        '40',
        'You are sending prompts too quickly. Wait about 40 seconds and try again.',
      ],
      [
        'TOO_MANY_ANSWERS_IN_FLIGHT',
        '5',
        'Your organisation has too many answers in progress. Wait about 5 seconds and try again.',
      ],
    ])('says which limit a 429 %s hit and when to try again', async (code, retryAfter, userMessage) => {
      const { api } = setup(json(429, { error: { code, message: 'x' } }, { 'retry-after': retryAfter }));
      await expect(api.submitPrompt('Hi')).rejects.toMatchObject({ code, userMessage });
    });

    it('says until when a spent monthly token budget lasts', async () => {
      // Prepare
      const { api } = setup(
        json(429, { error: { code: 'TOKEN_BUDGET_EXHAUSTED', message: 'x' } }, { 'retry-after': '864000' }),
      );

      // Act
      const error = (await api.submitPrompt('Hi').catch((caught: unknown) => caught)) as RateLimitedError;

      // Assess
      expect(error.code).toBe('TOKEN_BUDGET_EXHAUSTED');
      expect(error.userMessage).toMatch(
        /^Your organisation has used this month's assistant budget\. Wait until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, or ask/,
      );
    });

    it("shows the tier's length limit of a 413 PROMPT_TOO_LONG", async () => {
      // Prepare
      const { api } = setup(
        json(413, { error: { code: 'PROMPT_TOO_LONG', message: 'prompt must be at most 1000 characters' } }),
      );

      // Act / Assess
      await expect(api.submitPrompt('Hi')).rejects.toMatchObject({
        userMessage: 'Your prompt is too long: prompt must be at most 1000 characters.',
      });
    });

    it("turns API Gateway's own 429 body into the same message", async () => {
      // Prepare
      const { api } = setup(json(429, { message: 'Too Many Requests' }));

      // Act / Assess
      await expect(api.submitPrompt('Hi')).rejects.toMatchObject({
        userMessage: 'You are sending prompts too quickly. Wait a moment and try again.',
      });
    });

    it('turns 401 into "session expired" and tells the session', async () => {
      // Prepare
      const { api, onUnauthorized } = setup(json(401, { message: 'Unauthorized' }));

      // Act / Assess
      await expect(api.submitPrompt('Hi')).rejects.toBeInstanceOf(SessionExpiredError);
      expect(onUnauthorized).toHaveBeenCalledTimes(1);
    });

    it('retries a 503 (sign-in keys unavailable) with backoff and never signs the user out for it', async () => {
      // Prepare
      const responses = [
        json(503, { error: { code: 'AUTH_UNAVAILABLE', message: 'Sign-in keys unavailable' } }),
        json(
          503,
          { error: { code: 'AUTH_UNAVAILABLE', message: 'Sign-in keys unavailable' } },
          { 'retry-after': '3' },
        ),
        json(202, { answerId: ANSWER_ID, conversationId: 'c1', deadlineAt: '2025-03-01T12:04:00.000Z' }),
      ];
      const { api, onUnauthorized, sleeps, fetchFn } = setup(async () => responses.shift() as Response);

      // Act
      const accepted = await api.submitPrompt('Hi');

      // Assess
      expect(accepted).toEqual({
        answerId: ANSWER_ID,
        conversationId: 'c1',
        deadlineAt: '2025-03-01T12:04:00.000Z',
      });
      expect(fetchFn).toHaveBeenCalledTimes(3);
      expect(sleeps).toEqual([1000, 3000]);
      expect(onUnauthorized).not.toHaveBeenCalled();
    });

    it('gives up after three retries of a 503 with a message that it is not the user’s fault', async () => {
      // Prepare
      const { api, onUnauthorized, fetchFn, sleeps } = setup(async () =>
        json(503, { error: { code: 'AUTH_UNAVAILABLE', message: 'x' } }),
      );

      // Act
      const error = (await api.submitPrompt('Hi').catch((caught: unknown) => caught)) as ApiError;

      // Assess
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.userMessage).toMatch(/briefly unavailable/);
      expect(fetchFn).toHaveBeenCalledTimes(4);
      expect(sleeps).toEqual([1000, 2000, 4000]);
      expect(onUnauthorized).not.toHaveBeenCalled();
    });

    it('shows the message of a 400 envelope', async () => {
      // Prepare
      const { api } = setup(
        json(400, {
          error: { code: 'VALIDATION', message: 'conversationId: must be 1-63 of [A-Za-z0-9_-]' },
        }),
      );

      // Act / Assess
      await expect(api.submitPrompt('Hi', 'bad id')).rejects.toMatchObject({
        code: 'VALIDATION',
        statusCode: 400,
        userMessage: 'conversationId: must be 1-63 of [A-Za-z0-9_-]',
      });
    });

    it('never shows the message of a 5xx', async () => {
      // Prepare
      const { api } = setup(
        json(500, { error: { code: 'INTERNAL', message: 'DynamoDB exploded at line 4' } }),
      );

      // Act
      const error = (await api.submitPrompt('Hi').catch((caught: unknown) => caught)) as ApiError;

      // Assess
      expect(error.code).toBe('INTERNAL');
      expect(error.userMessage).toBe('Something went wrong on our side. Please try again in a moment.');
    });

    it('turns a failed fetch into a network error', async () => {
      // Prepare
      const { api } = setup(async () => {
        throw new TypeError('Failed to fetch');
      });

      // Act / Assess
      await expect(api.submitPrompt('Hi')).rejects.toBeInstanceOf(NetworkError);
    });

    it('does not call the API when there is no valid token', async () => {
      // Prepare
      const fetchFn = jest.fn();

      // Act
      const api = createApiClient({
        apiUrl: 'https://api.example.com',
        fetch: fetchFn,
        getIdToken: async () => {
          throw new SessionExpiredError();
        },
      });

      // Assess
      await expect(api.submitPrompt('Hi')).rejects.toBeInstanceOf(SessionExpiredError);
      expect(fetchFn).not.toHaveBeenCalled();
    });

    it('refuses a malformed success body', async () => {
      // Prepare
      const { api } = setup(json(202, { answerId: 1 }));

      // Act / Assess
      await expect(api.submitPrompt('Hi')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    });
  });

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
