import {
  AnswerNotFoundError,
  ConversationNotFoundError,
  NetworkError,
  RateLimitedError,
  SessionExpiredError,
} from '../errors';
import { answerIdOf, OTHER_SUB, USER_SUB } from '../testing/fakes';
import type { AnswerSocket, ConnectionStatus, SocketMessage } from './answer-socket';
import type { AnswerRecord, ApiClient } from './api-client';
import { ChatSession } from './chat-session';

const MINE = answerIdOf(USER_SUB, 1);
const MINE_2 = answerIdOf(USER_SUB, 2);
const THEIRS = answerIdOf(OTHER_SUB, 1);

const setup = (api: Partial<ApiClient> = {}) => {
  let now = 1_000_000;
  let handlers:
    | { onMessage: (message: SocketMessage) => void; onStatus: (status: ConnectionStatus) => void }
    | undefined;
  const socket: AnswerSocket = { open: jest.fn(), close: jest.fn(), reconnectNow: jest.fn() };
  const fullApi: ApiClient = {
    submitPrompt: jest.fn(async () => ({ answerId: MINE, conversationId: 'conv1' })),
    getAnswer: jest.fn(async (answerId: string): Promise<AnswerRecord> => ({ answerId, status: 'PENDING' })),
    listAnswers: jest.fn(async () => ({ answers: [] })),
    listConversations: jest.fn(async () => ({ conversations: [] })),
    getUsage: jest.fn(async () => {
      throw new Error('the chat never reads usage');
    }),
    getMetrics: jest.fn(async () => {
      throw new Error('the chat never reads metrics');
    }),
    ...api,
  };
  const onConversationChange = jest.fn();
  const session = new ChatSession({
    api: fullApi,
    userId: USER_SUB,
    openSocket: (h) => {
      handlers = h;
      return socket;
    },
    now: () => now,
    setInterval: () => 'timer',
    clearInterval: jest.fn(),
    onConversationChange,
  });
  session.start();
  return {
    session,
    api: fullApi,
    socket,
    onConversationChange,
    push: (message: SocketMessage) => handlers?.onMessage(message),
    status: (status: ConnectionStatus) => handlers?.onStatus(status),
    advance: (ms: number) => {
      now += ms;
    },
  };
};

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
      const { session, api } = setup();
      await session.send('one');
      (api.submitPrompt as jest.Mock).mockResolvedValueOnce({ answerId: MINE_2, conversationId: 'conv1' });
      await session.send('two');
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
      const { session, api } = setup();
      (api.submitPrompt as jest.Mock).mockRejectedValueOnce(new NetworkError());
      await session.send('Hi');
      await session.send('Hi');
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
      const { session, push } = setup();
      push({ type: 'answer.completed', answerId: MINE, text: 'from another tab' });
      expect(session.getState().turns).toEqual([]);
    });

    it('shows the reason of a failed answer', async () => {
      const { session, push } = setup();
      await session.send('Return policy?');
      push({ type: 'answer.failed', answerId: MINE, reason: 'The assistant is unavailable.' });
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
      const { session, api, advance } = setup({
        submitPrompt: jest.fn(async () => ({
          answerId: MINE,
          conversationId: 'conv1',
          deadlineAt: DEADLINE,
        })),
      });
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
      const { session, advance } = setup({
        submitPrompt: jest.fn(async () => ({
          answerId: MINE,
          conversationId: 'conv1',
          deadlineAt: DEADLINE,
        })),
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
      const { session, push, advance } = setup({
        submitPrompt: jest.fn(async () => ({
          answerId: MINE,
          conversationId: 'conv1',
          deadlineAt: DEADLINE,
        })),
      });
      await session.send('Return policy?');
      advance(33_000);
      await session.expireOverdue();
      push({ type: 'answer.completed', answerId: MINE, text: 'late' });
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
      const { session } = setup({
        listConversations: jest.fn(async () => {
          throw new NetworkError();
        }),
      });
      await session.loadConversations();
      expect(session.getState().error).toBeUndefined();
      expect(session.getState().conversations).toBeUndefined();
    });
  });

  describe('pollPending', () => {
    it('polls pending answers every 2 s while the socket is down', async () => {
      // Prepare
      const { session, api, status, advance } = setup();
      status('reconnecting');
      await session.send('Return policy?');
      (api.getAnswer as jest.Mock).mockResolvedValueOnce({
        answerId: MINE,
        status: 'STREAMING',
        text: 'Returns',
      });
      // Act
      advance(1000);
      await session.pollPending();
      const early = (api.getAnswer as jest.Mock).mock.calls.length;
      advance(1000);
      await session.pollPending();
      // Assess
      expect(early).toBe(0);
      expect(api.getAnswer).toHaveBeenCalledWith(MINE);
      expect(session.getState().turns[0]?.answer).toMatchObject({ status: 'STREAMING', text: 'Returns' });
    });

    it('polls only every 10 s while the socket is up, and never finished answers', async () => {
      // Prepare
      const { session, api, status, advance, push } = setup();
      status('open');
      await session.send('one');
      (api.submitPrompt as jest.Mock).mockResolvedValueOnce({ answerId: MINE_2, conversationId: 'conv1' });
      await session.send('two');
      push({ type: 'answer.completed', answerId: MINE_2, text: 'done' });
      // Act
      advance(5000);
      await session.pollPending();
      const early = (api.getAnswer as jest.Mock).mock.calls.length;
      advance(5000);
      await session.pollPending();
      // Assess
      expect(early).toBe(0);
      expect((api.getAnswer as jest.Mock).mock.calls).toEqual([[MINE]]);
    });

    it('catches up on every pending answer as soon as the socket is back', async () => {
      const { session, api, status } = setup();
      status('open');
      await session.send('one');
      (api.getAnswer as jest.Mock).mockResolvedValueOnce({
        answerId: MINE,
        status: 'COMPLETED',
        text: '10 days',
      });
      status('reconnecting');
      status('open');
      await new Promise((resolve) => setImmediate(resolve));
      expect(session.getState().turns[0]?.answer).toMatchObject({ status: 'COMPLETED', text: '10 days' });
    });

    it('marks an answer that disappeared as failed', async () => {
      const { session, api, advance } = setup();
      await session.send('one');
      (api.getAnswer as jest.Mock).mockRejectedValueOnce(new AnswerNotFoundError());
      advance(10_000);
      await session.pollPending();
      expect(session.getState().turns[0]?.answer).toMatchObject({
        status: 'FAILED',
        reason: 'This answer is no longer available.',
      });
    });

    it('keeps an answer pending when a poll fails for a network error', async () => {
      const { session, api, advance } = setup();
      await session.send('one');
      (api.getAnswer as jest.Mock).mockRejectedValueOnce(new NetworkError());
      advance(10_000);
      await session.pollPending();
      expect(session.getState().turns[0]?.answer.status).toBe('PENDING');
    });
  });

  describe('openConversation', () => {
    it("loads the conversation's history, page by page", async () => {
      // Prepare
      const listAnswers = jest
        .fn()
        .mockResolvedValueOnce({
          answers: [{ answerId: MINE, status: 'COMPLETED', prompt: 'one', text: '10 days' }],
          nextCursor: 'p2',
        })
        .mockResolvedValueOnce({
          answers: [{ answerId: MINE_2, status: 'FAILED', prompt: 'two', reason: 'Timed out' }],
        });
      const { session } = setup({ listAnswers });
      // Act
      await session.openConversation('conv1');
      // Assess
      expect(listAnswers.mock.calls).toEqual([
        ['conv1', undefined],
        ['conv1', 'p2'],
      ]);
      expect(session.getState()).toMatchObject({
        conversationId: 'conv1',
        loading: false,
        turns: [
          { answerId: MINE, prompt: 'one', answer: { status: 'COMPLETED', text: '10 days' } },
          { answerId: MINE_2, prompt: 'two', answer: { status: 'FAILED', reason: 'Timed out' } },
        ],
      });
    });

    it("shows nothing of another user's conversation (the API answers 404) and forgets its id", async () => {
      const { session, onConversationChange } = setup({
        listAnswers: jest.fn(async () => {
          throw new ConversationNotFoundError();
        }),
      });
      await session.openConversation('their-conversation');
      expect(session.getState()).toMatchObject({ turns: [], error: 'This conversation was not found.' });
      expect(session.getState().conversationId).toBeUndefined();
      expect(onConversationChange).toHaveBeenLastCalledWith(undefined);
    });

    it("drops records of other users' answers even if the API returned them", async () => {
      const { session } = setup({
        listAnswers: jest.fn(async () => ({
          answers: [{ answerId: THEIRS, status: 'COMPLETED' as const, text: 'secret' }],
        })),
      });
      await session.openConversation('conv1');
      expect(session.getState().turns).toEqual([]);
    });

    it('refuses a malformed conversation id without calling the API', async () => {
      const { session, api } = setup();
      await session.openConversation('../../answers');
      expect(api.listAnswers).not.toHaveBeenCalled();
      expect(session.getState().error).toBe('This conversation was not found.');
    });

    it('ignores a late result after the user started a new conversation', async () => {
      // Prepare
      let release: (value: unknown) => void = () => undefined;
      const listAnswers = jest.fn(
        () =>
          new Promise((resolve) => {
            release = resolve;
          }),
      );
      const { session } = setup({ listAnswers: listAnswers as unknown as ApiClient['listAnswers'] });
      // Act
      const loading = session.openConversation('conv1');
      session.newConversation();
      release({ answers: [{ answerId: MINE, status: 'COMPLETED', text: 'old' }] });
      await loading;
      // Assess
      expect(session.getState()).toMatchObject({ conversationId: undefined, turns: [], loading: false });
    });
  });

  describe('openAnswer', () => {
    it('shows one of my answers by id', async () => {
      const { session } = setup({
        getAnswer: jest.fn(async () => ({
          answerId: MINE,
          conversationId: 'conv1',
          status: 'COMPLETED' as const,
          text: 'x',
        })),
      });
      await session.openAnswer(MINE);
      expect(session.getState()).toMatchObject({ conversationId: 'conv1', turns: [{ answerId: MINE }] });
    });

    it("says 'not found' for another user's answer without asking the API", async () => {
      const { session, api } = setup();
      await session.openAnswer(THEIRS);
      expect(api.getAnswer).not.toHaveBeenCalled();
      expect(session.getState()).toMatchObject({ turns: [], error: 'This answer was not found.' });
    });

    it("says 'not found' when the API answers 404", async () => {
      const { session } = setup({
        getAnswer: jest.fn(async () => {
          throw new AnswerNotFoundError();
        }),
      });
      await session.openAnswer(MINE);
      expect(session.getState()).toMatchObject({ turns: [], error: 'This answer was not found.' });
    });
  });

  describe('newConversation', () => {
    it('clears the screen and the conversation id', async () => {
      const { session, onConversationChange } = setup();
      await session.send('one');
      session.newConversation();
      expect(session.getState()).toMatchObject({ conversationId: undefined, turns: [] });
      expect(onConversationChange).toHaveBeenLastCalledWith(undefined);
    });
  });

  describe('connection', () => {
    it('reports the connection status and reconnects on request', () => {
      const { session, status, socket } = setup();
      status('reconnecting');
      expect(session.getState().connection).toBe('reconnecting');
      session.reconnect();
      expect(socket.reconnectNow).toHaveBeenCalled();
      session.stop();
      expect(socket.close).toHaveBeenCalled();
    });

    it('shows "session expired" when the API refuses the token', async () => {
      const { session } = setup({
        submitPrompt: jest.fn(async () => {
          throw new SessionExpiredError();
        }),
      });
      await session.send('Hi');
      expect(session.getState().error).toBe('Your session has expired. Please sign in again.');
    });
  });
});
