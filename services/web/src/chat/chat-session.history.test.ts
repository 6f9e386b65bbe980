import { AnswerNotFoundError, ConversationNotFoundError, NetworkError, SessionExpiredError } from '../errors';
import { MINE, MINE_2, setup, THEIRS } from '../testing/chat-session';
import type { ApiClient } from './api-client';

describe('ChatSession', () => {
  describe('pollPending', () => {
    /** Polls once `ms` after sending and once `ms` later; returns how many answers the first poll fetched. */
    const pollTwice = async ({ session, api, advance }: ReturnType<typeof setup>, ms: number) => {
      advance(ms);
      await session.pollPending();
      const early = (api.getAnswer as jest.Mock).mock.calls.length;
      advance(ms);
      await session.pollPending();
      return early;
    };

    it('polls pending answers every 2 s while the socket is down', async () => {
      // Prepare
      const chat = setup();
      const { session, api, status, nextAnswer } = chat;
      status('reconnecting');
      await session.send('Return policy?');
      nextAnswer({ status: 'STREAMING', text: 'Returns' });

      // Act
      const early = await pollTwice(chat, 1000);

      // Assess
      expect(early).toBe(0);
      expect(api.getAnswer).toHaveBeenCalledWith(MINE);
      expect(session.getState().turns[0]?.answer).toMatchObject({ status: 'STREAMING', text: 'Returns' });
    });

    it('polls only every 10 s while the socket is up, and never finished answers', async () => {
      // Prepare
      const chat = setup();
      const { session, api, status, push } = chat;
      status('open');
      await session.send('one');
      (api.submitPrompt as jest.Mock).mockResolvedValueOnce({ answerId: MINE_2, conversationId: 'conv1' });
      await session.send('two');
      push({ type: 'answer.completed', answerId: MINE_2, text: 'done' });

      // Act
      const early = await pollTwice(chat, 5000);

      // Assess
      expect(early).toBe(0);
      expect((api.getAnswer as jest.Mock).mock.calls).toEqual([[MINE]]);
    });

    it('catches up on every pending answer as soon as the socket is back', async () => {
      // Prepare
      const { session, status, nextAnswer } = setup();
      status('open');
      await session.send('one');
      nextAnswer({ status: 'COMPLETED', text: '10 days' });
      status('reconnecting');
      status('open');

      // Act
      await new Promise((resolve) => setImmediate(resolve));

      // Assess
      expect(session.getState().turns[0]?.answer).toMatchObject({ status: 'COMPLETED', text: '10 days' });
    });

    it.each([
      {
        does: 'marks an answer that disappeared as failed',
        failure: new AnswerNotFoundError(),
        leadsTo: { status: 'FAILED', reason: 'This answer is no longer available.' },
      },
      {
        does: 'keeps an answer pending when a poll fails for a network error',
        failure: new NetworkError(),
        leadsTo: { status: 'PENDING' },
      },
    ])('$does', async ({ failure, leadsTo }) => {
      // Prepare
      const { session, api, advance } = setup();
      await session.send('one');
      (api.getAnswer as jest.Mock).mockRejectedValueOnce(failure);
      advance(10_000);

      // Act
      await session.pollPending();

      // Assess
      expect(session.getState().turns[0]?.answer).toMatchObject(leadsTo);
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
      // Prepare
      const { session, onConversationChange } = setup({
        listAnswers: jest.fn(async () => {
          throw new ConversationNotFoundError();
        }),
      });

      // Act
      await session.openConversation('their-conversation');

      // Assess
      expect(session.getState()).toMatchObject({ turns: [], error: 'This conversation was not found.' });
      expect(session.getState().conversationId).toBeUndefined();
      expect(onConversationChange).toHaveBeenLastCalledWith(undefined);
    });

    it("drops records of other users' answers even if the API returned them", async () => {
      // Prepare
      const { session } = setup({
        listAnswers: jest.fn(async () => ({
          answers: [{ answerId: THEIRS, status: 'COMPLETED' as const, text: 'secret' }],
        })),
      });

      // Act
      await session.openConversation('conv1');

      // Assess
      expect(session.getState().turns).toEqual([]);
    });

    it('refuses a malformed conversation id without calling the API', async () => {
      // Prepare
      const { session, api } = setup();

      // Act
      await session.openConversation('../../answers');

      // Assess
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
      // Prepare
      const { session } = setup({
        getAnswer: jest.fn(async () => ({
          answerId: MINE,
          conversationId: 'conv1',
          status: 'COMPLETED' as const,
          text: 'x',
        })),
      });

      // Act
      await session.openAnswer(MINE);

      // Assess
      expect(session.getState()).toMatchObject({ conversationId: 'conv1', turns: [{ answerId: MINE }] });
    });

    it("says 'not found' for another user's answer without asking the API", async () => {
      // Prepare
      const { session, api } = setup();

      // Act
      await session.openAnswer(THEIRS);

      // Assess
      expect(api.getAnswer).not.toHaveBeenCalled();
      expect(session.getState()).toMatchObject({ turns: [], error: 'This answer was not found.' });
    });

    it("says 'not found' when the API answers 404", async () => {
      // Prepare
      const { session } = setup({
        getAnswer: jest.fn(async () => {
          throw new AnswerNotFoundError();
        }),
      });

      // Act
      await session.openAnswer(MINE);

      // Assess
      expect(session.getState()).toMatchObject({ turns: [], error: 'This answer was not found.' });
    });
  });

  describe('newConversation', () => {
    it('clears the screen and the conversation id', async () => {
      // Prepare
      const { session, onConversationChange } = setup();
      await session.send('one');

      // Act
      session.newConversation();

      // Assess
      expect(session.getState()).toMatchObject({ conversationId: undefined, turns: [] });
      expect(onConversationChange).toHaveBeenLastCalledWith(undefined);
    });
  });

  describe('connection', () => {
    it('reports the connection status and reconnects on request', () => {
      // Prepare
      const { session, status, socket } = setup();
      status('reconnecting');
      expect(session.getState().connection).toBe('reconnecting');
      session.reconnect();
      expect(socket.reconnectNow).toHaveBeenCalled();

      // Act
      session.stop();

      // Assess
      expect(socket.close).toHaveBeenCalled();
    });

    it('shows "session expired" when the API refuses the token', async () => {
      // Prepare
      const { session } = setup({
        submitPrompt: jest.fn(async () => {
          throw new SessionExpiredError();
        }),
      });

      // Act
      await session.send('Hi');

      // Assess
      expect(session.getState().error).toBe('Your session has expired. Please sign in again.');
    });
  });
});
