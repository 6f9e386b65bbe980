import * as errors from '../errors';
import { ANSWER_ID, json, setup } from '../testing/api-client';
import { createApiClient, MAX_PROMPT_LENGTH } from './api-client';

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
      expect(error).toBeInstanceOf(errors.RateLimitedError);
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
      const error = (await api
        .submitPrompt('Hi')
        .catch((caught: unknown) => caught)) as errors.RateLimitedError;

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
      await expect(api.submitPrompt('Hi')).rejects.toBeInstanceOf(errors.SessionExpiredError);
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
      const error = (await api.submitPrompt('Hi').catch((caught: unknown) => caught)) as errors.ApiError;

      // Assess
      expect(error).toBeInstanceOf(errors.ServiceUnavailableError);
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
      const error = (await api.submitPrompt('Hi').catch((caught: unknown) => caught)) as errors.ApiError;

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
      await expect(api.submitPrompt('Hi')).rejects.toBeInstanceOf(errors.NetworkError);
    });

    it('does not call the API when there is no valid token', async () => {
      // Prepare
      const fetchFn = jest.fn();

      // Act
      const api = createApiClient({
        apiUrl: 'https://api.example.com',
        fetch: fetchFn,
        getIdToken: async () => {
          throw new errors.SessionExpiredError();
        },
      });

      // Assess
      await expect(api.submitPrompt('Hi')).rejects.toBeInstanceOf(errors.SessionExpiredError);
      expect(fetchFn).not.toHaveBeenCalled();
    });

    it('refuses a malformed success body', async () => {
      // Prepare
      const { api } = setup(json(202, { answerId: 1 }));

      // Act / Assess
      await expect(api.submitPrompt('Hi')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    });
  });
});
