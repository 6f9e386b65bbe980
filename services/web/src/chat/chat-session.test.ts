import { NetworkError, RateLimitedError } from '../errors';
import { MINE, MINE_2, setup, setupWithDeadline, THEIRS } from '../testing/chat-session';

describe('ChatSession', () => {
  describe('send', () => {
    it('adds the prompt with a pending answer and remembers the new conversation', async () => {
      // Prepare
      const { session, api, onConversationChange } = setup();

      // Act
      const accepted = await session.send(' What is your return policy? ');

      // Assess
      expect(accepted).toBe(true);
      expect(api.submitPrompt).toHaveBeenCalledWith(' What is your return policy? ', undefined);
      expect(session.getState()).toMatchObject({
        conversationId: 'conv1',
        sending: false,
        turns: [
          { answerId: MINE, prompt: 'What is your return policy?', answer: { status: 'PENDING', text: '' } },
        ],
      });
      expect(onConversationChange).toHaveBeenCalledWith('conv1');
    });

    it('continues the same conversation', async () => {
      // Prepare
      const { session, api } = setup();
      await session.send('one');
      (api.submitPrompt as jest.Mock).mockResolvedValueOnce({ answerId: MINE_2, conversationId: 'conv1' });

      // Act
      await session.send('two');

      // Assess
      expect(api.submitPrompt).toHaveBeenLastCalledWith('two', 'conv1');
      expect(session.getState().turns.map((turn) => turn.answerId)).toEqual([MINE, MINE_2]);
    });

    it('shows the rate-limit message and keeps the conversation as it was', async () => {
      // Prepare
      const { session } = setup({
        submitPrompt: jest.fn(async () => {
          throw new RateLimitedError(20);
        }),
      });

      // Act
      const accepted = await session.send('Hi');

      // Assess
      expect(accepted).toBe(false);
      expect(session.getState()).toMatchObject({
        turns: [],
        sending: false,
        error: 'You are sending prompts too quickly. Wait about 20 seconds and try again.',
      });
    });

    it('clears the last error when a prompt is accepted', async () => {
      // Prepare
      const { session, api } = setup();
      (api.submitPrompt as jest.Mock).mockRejectedValueOnce(new NetworkError());
      await session.send('Hi');

      // Act
      await session.send('Hi');

      // Assess
      expect(session.getState().error).toBeUndefined();
    });
  });

  describe('receive', () => {
    it('streams pushed chunks into the answer and completes it', async () => {
      // Prepare
      const { session, push } = setup();
      await session.send('Return policy?');

      // Act
      push({ type: 'answer.chunk', answerId: MINE, seq: 1, delta: '10 days.' });
      push({ type: 'answer.chunk', answerId: MINE, seq: 0, delta: 'Returns within ' });
      const streaming = session.getState().turns[0]?.answer;
      push({ type: 'answer.completed', answerId: MINE, text: 'Returns within 10 days.' });

      // Assess
      expect(streaming).toMatchObject({ status: 'STREAMING', text: 'Returns within 10 days.' });
      expect(session.getState().turns[0]?.answer).toMatchObject({
        status: 'COMPLETED',
        text: 'Returns within 10 days.',
      });
    });

    it("drops messages about another user's answer", async () => {
      // Prepare
      const { session, push } = setup();
      await session.send('Return policy?');
      const before = session.getState();

      // Act
      push({ type: 'answer.completed', answerId: THEIRS, text: 'their secret' });

      // Assess
      expect(session.getState()).toBe(before);
      expect(JSON.stringify(session.getState())).not.toContain('their secret');
    });

    it('drops messages about answers that are not on screen', () => {
      // Prepare
      const { session, push } = setup();

      // Act
      push({ type: 'answer.completed', answerId: MINE, text: 'from another tab' });

      // Assess
      expect(session.getState().turns).toEqual([]);
    });

    it('shows the reason of a failed answer', async () => {
      // Prepare
      const { session, push } = setup();
      await session.send('Return policy?');

      // Act
      push({ type: 'answer.failed', answerId: MINE, reason: 'The assistant is unavailable.' });

      // Assess
      expect(session.getState().turns[0]?.answer).toMatchObject({
        status: 'FAILED',
        reason: 'The assistant is unavailable.',
      });
    });
  });

  describe('deadline', () => {
    const DEADLINE = new Date(1_000_000 + 30_000).toISOString();

    it('stops waiting at the deadline: asks chat-api once more, then shows "timed out"', async () => {
      // Prepare
      const { session, api, advance } = setupWithDeadline(DEADLINE);
      await session.send('Return policy?');
      advance(31_000);
      await session.expireOverdue();
      const beforeGrace = session.getState().turns[0]?.answer.status;

      // Act
      advance(1_500);
      await session.expireOverdue();

      // Assess
      expect(beforeGrace).toBe('PENDING');
      expect(api.getAnswer).toHaveBeenCalledWith(MINE);
      expect(session.getState().turns[0]?.answer).toMatchObject({
        status: 'FAILED',
        timedOut: true,
        reason: expect.stringMatching(/timed out/),
      });
    });

    it("shows chat-api's verdict when it has one at the deadline", async () => {
      // Prepare
      const { session, advance } = setupWithDeadline(DEADLINE, {
        getAnswer: jest.fn(async () => ({
          answerId: MINE,
          status: 'COMPLETED' as const,
          text: 'Just in time.',
        })),
      });
      await session.send('Return policy?');

      // Act
      advance(33_000);
      await session.expireOverdue();

      // Assess
      expect(session.getState().turns[0]?.answer).toMatchObject({
        status: 'COMPLETED',
        text: 'Just in time.',
      });
    });

    it('ignores a completion that arrives after the client stopped waiting', async () => {
      // Prepare
      const { session, push, advance } = setupWithDeadline(DEADLINE);
      await session.send('Return policy?');
      advance(33_000);
      await session.expireOverdue();

      // Act
      push({ type: 'answer.completed', answerId: MINE, text: 'late' });

      // Assess
      expect(session.getState().turns[0]?.answer).toMatchObject({ status: 'FAILED', timedOut: true });
    });

    it('tries a failed answer again: the same prompt, in the same conversation', async () => {
      // Prepare
      const { session, api, push } = setup();
      await session.send('Return policy?');
      push({
        type: 'answer.failed',
        answerId: MINE,
        reason: 'The assistant took too long to answer (timed out).',
      });
      (api.submitPrompt as jest.Mock).mockResolvedValueOnce({ answerId: MINE_2, conversationId: 'conv1' });

      // Act
      const retried = await session.retry(MINE);
      const notFailed = await session.retry(MINE_2);

      // Assess
      expect(retried).toBe(true);
      expect(notFailed).toBe(false);
      expect(api.submitPrompt).toHaveBeenLastCalledWith('Return policy?', 'conv1');
      expect(session.getState().turns.map((turn) => turn.answerId)).toEqual([MINE, MINE_2]);
    });
  });

  describe('conversations', () => {
    it('lists the conversations at start and again after a prompt', async () => {
      // Prepare
      const listConversations = jest
        .fn()
        .mockResolvedValueOnce({ conversations: [] })
        .mockResolvedValue({
          conversations: [
            { conversationId: 'conv1', title: 'Return policy?', lastPromptAt: '2025-03-01T12:00:00Z' },
          ],
        });
      const { session } = setup({ listConversations });

      // Act
      await session.send('Return policy?');
      await new Promise((resolve) => setImmediate(resolve));

      // Assess
      expect(listConversations).toHaveBeenCalledTimes(2);
      expect(session.getState().conversations).toEqual([
        { conversationId: 'conv1', title: 'Return policy?', lastPromptAt: '2025-03-01T12:00:00Z' },
      ]);
    });

    it('keeps the chat working when the list cannot be loaded', async () => {
      // Prepare
      const { session } = setup({
        listConversations: jest.fn(async () => {
          throw new NetworkError();
        }),
      });

      // Act
      await session.loadConversations();

      // Assess
      expect(session.getState().error).toBeUndefined();
      expect(session.getState().conversations).toBeUndefined();
    });
  });
});
