import type { AnswerSocket, ConnectionStatus, SocketMessage } from '../chat/answer-socket';
import type { AnswerRecord, ApiClient } from '../chat/api-client';
import { ChatSession } from '../chat/chat-session';
import { answerIdOf, OTHER_SUB, USER_SUB } from './fakes';

/** The ChatSession tests' set-up: answer ids of the signed-in user and of another one, and a session to drive. */
export const MINE = answerIdOf(USER_SUB, 1);
export const MINE_2 = answerIdOf(USER_SUB, 2);
export const THEIRS = answerIdOf(OTHER_SUB, 1);

/** A started ChatSession over a fake API (override what a test exercises) and a socket the test drives. */
export const setup = (api: Partial<ApiClient> = {}) => {
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
    /** The next answer chat-api reads back: MINE with these fields. */
    nextAnswer: (answer: Omit<AnswerRecord, 'answerId'>) =>
      (fullApi.getAnswer as jest.Mock).mockResolvedValueOnce({ answerId: MINE, ...answer }),
    advance: (ms: number) => {
      now += ms;
    },
  };
};

/** A session whose prompts chat-api accepts as MINE in conv1, due by `deadlineAt`. */
export const setupWithDeadline = (deadlineAt: string, api: Partial<ApiClient> = {}) =>
  setup({
    submitPrompt: jest.fn(async () => ({ answerId: MINE, conversationId: 'conv1', deadlineAt })),
    ...api,
  });
