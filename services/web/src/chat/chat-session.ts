import { CONVERSATION_ID_PATTERN, isOwnedBy } from '@tenant-assistant/tenant-context';
import { AnswerNotFoundError, ConversationNotFoundError, userMessageOf } from '../errors';
import type { AnswerSocket, ConnectionStatus, SocketMessage } from './answer-socket';
import { type AnswerView, isTerminal, pendingAnswer, reduceAnswer } from './answer-stream';
import type { AnswerRecord, ApiClient, ConversationSummary } from './api-client';

/** One question and its answer. */
export interface Turn {
  readonly answerId: string;
  readonly prompt?: string;
  readonly answer: AnswerView;
}

export interface ChatState {
  readonly conversationId?: string;
  readonly turns: readonly Turn[];
  /** The user's conversations, the most recent prompt first (undefined until loaded). */
  readonly conversations?: readonly ConversationSummary[];
  readonly connection: ConnectionStatus;
  readonly sending: boolean;
  readonly loading: boolean;
  /** The last failure to show (rate limit, network, not found, …). */
  readonly error?: string;
}

export interface ChatSessionDeps {
  readonly api: ApiClient;
  /** Creates the answer socket, wired to this session's `receive` and `setConnection`. */
  readonly openSocket: (handlers: {
    onMessage: (message: SocketMessage) => void;
    onStatus: (status: ConnectionStatus) => void;
  }) => AnswerSocket;
  /** The signed-in user's sub: messages for answers it does not own are dropped. */
  readonly userId: string;
  readonly now?: () => number;
  readonly setInterval?: (fn: () => void, ms: number) => unknown;
  readonly clearInterval?: (handle: unknown) => void;
  /** Poll pending answers this often while the socket is down (default 2 s)… */
  readonly pollWhileDisconnectedMs?: number;
  /** …and this often while it is up, in case a push was missed (default 10 s). */
  readonly pollWhileConnectedMs?: number;
  /** Called when the conversation shown changes (the app mirrors it in the URL). */
  readonly onConversationChange?: (conversationId: string | undefined) => void;
  /**
   * How long after an answer's deadline the client asks chat-api one last time before it gives up
   * on its own (default 2 s: chat-api ends the answer at the deadline and pushes the failure).
   */
  readonly deadlineGraceMs?: number;
}

const MAX_HISTORY_PAGES = 20;

const turnFromRecord = (record: AnswerRecord): Turn => ({
  answerId: record.answerId,
  ...(record.prompt ? { prompt: record.prompt } : {}),
  answer: reduceAnswer(pendingAnswer(record.answerId), snapshotOf(record)),
});

const snapshotOf = (record: AnswerRecord) => ({
  type: 'answer.snapshot' as const,
  status: record.status,
  ...(record.text ? { text: record.text } : {}),
  ...(record.reason ? { reason: record.reason } : {}),
  ...(record.deadlineAt ? { deadlineAt: record.deadlineAt } : {}),
});

/**
 * The chat of one signed-in user: sends prompts, streams answers from the WebSocket, polls pending
 * answers when the socket is down (and now and then when it is up), stops waiting for an answer at
 * its deadline (it then shows "timed out" and offers to try again), lists the user's conversations,
 * loads a conversation's history, starts new conversations. Only answers this session asked for or loaded, and owned by its user,
 * are ever updated: a pushed message about any other answer is dropped.
 */
export class ChatSession {
  #state: ChatState = { turns: [], connection: 'connecting', sending: false, loading: false };
  readonly #listeners = new Set<() => void>();
  readonly #lastActivity = new Map<string, number>();
  readonly #deps: ChatSessionDeps;
  readonly #now: () => number;
  #socket: AnswerSocket | undefined;
  #timer: unknown;
  #polling = false;
  readonly #expiring = new Set<string>();
  #view = 0; // bumps when the conversation shown changes, so late results of the old one are dropped

  constructor(deps: ChatSessionDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  getState = (): ChatState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Opens the socket and the polling timer. */
  start(): void {
    if (this.#socket) return;
    this.#socket = this.#deps.openSocket({
      onMessage: (message) => this.receive(message),
      onStatus: (status) => this.setConnection(status),
    });
    this.#socket.open();
    void this.loadConversations();
    const every = (this.#deps.setInterval ?? ((fn, ms) => globalThis.setInterval(fn, ms)))(() => {
      void this.pollPending();
      void this.expireOverdue();
    }, 1000);
    this.#timer = every;
  }

  stop(): void {
    (this.#deps.clearInterval ?? ((handle) => globalThis.clearInterval(handle as number)))(this.#timer);
    this.#socket?.close();
    this.#socket = undefined;
  }

  reconnect(): void {
    this.#socket?.reconnectNow();
  }

  /** Sends a prompt in the current conversation. Resolves true when it was accepted. */
  async send(prompt: string): Promise<boolean> {
    if (this.#state.sending) return false;
    const view = this.#view;
    this.#set({ sending: true, error: undefined });
    try {
      const { answerId, conversationId, deadlineAt } = await this.#deps.api.submitPrompt(
        prompt,
        this.#state.conversationId,
      );
      if (view !== this.#view) return false;
      this.#lastActivity.set(answerId, this.#now());
      const changed = conversationId !== this.#state.conversationId;
      this.#set({
        sending: false,
        conversationId,
        turns: [
          ...this.#state.turns,
          { answerId, prompt: prompt.trim(), answer: pendingAnswer(answerId, deadlineAt) },
        ],
      });
      if (changed) this.#deps.onConversationChange?.(conversationId);
      void this.loadConversations();
      return true;
    } catch (error) {
      if (view === this.#view) this.#set({ sending: false, error: userMessageOf(error) });
      return false;
    }
  }

  /** Sends the prompt of a failed (or timed-out) answer again, in the same conversation. */
  async retry(answerId: string): Promise<boolean> {
    const turn = this.#state.turns.find((candidate) => candidate.answerId === answerId);
    if (!turn?.prompt || turn.answer.status !== 'FAILED') return false;
    return this.send(turn.prompt);
  }

  /** Loads the first page of the user's conversations (the list beside the chat). */
  async loadConversations(): Promise<void> {
    try {
      const { conversations } = await this.#deps.api.listConversations();
      this.#set({ conversations });
    } catch {
      // The list is a convenience: the chat works without it (a 401 still signs the user out).
    }
  }

  /** Clears the screen for a new conversation (chat-api creates its id with the next prompt). */
  newConversation(): void {
    this.#view++;
    this.#lastActivity.clear();
    this.#set({ conversationId: undefined, turns: [], error: undefined, loading: false, sending: false });
    this.#deps.onConversationChange?.(undefined);
  }

  /** Shows a conversation's history (only the caller's own answers ever come back). */
  async openConversation(conversationId: string): Promise<void> {
    const view = ++this.#view;
    this.#lastActivity.clear();
    if (!CONVERSATION_ID_PATTERN.test(conversationId)) {
      this.#set({
        conversationId: undefined,
        turns: [],
        loading: false,
        error: 'This conversation was not found.',
      });
      return;
    }
    this.#set({ conversationId, turns: [], loading: true, error: undefined });
    try {
      const records: AnswerRecord[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await this.#deps.api.listAnswers(conversationId, cursor);
        records.push(...page.answers);
        cursor = page.nextCursor;
      } while (cursor && ++pages < MAX_HISTORY_PAGES);
      if (view !== this.#view) return;
      const turns = records.filter((record) => this.#owns(record.answerId)).map(turnFromRecord);
      for (const turn of turns) this.#lastActivity.set(turn.answerId, this.#now());
      this.#set({
        turns,
        loading: false,
        ...(turns.length === 0 ? { error: 'This conversation has no messages you can see.' } : {}),
      });
    } catch (error) {
      if (view !== this.#view) return;
      // Another user's conversation is "not found" (404): show nothing of it, not even its id.
      if (error instanceof ConversationNotFoundError) this.#deps.onConversationChange?.(undefined);
      this.#set({
        loading: false,
        error: userMessageOf(error),
        ...(error instanceof ConversationNotFoundError ? { conversationId: undefined } : {}),
      });
    }
  }

  /** Shows one answer by id (a link to an answer); another user's answer is simply "not found". */
  async openAnswer(answerId: string): Promise<void> {
    const view = ++this.#view;
    this.#lastActivity.clear();
    this.#set({ conversationId: undefined, turns: [], loading: true, error: undefined });
    if (!this.#owns(answerId)) {
      this.#set({ loading: false, error: new AnswerNotFoundError().userMessage });
      return;
    }
    try {
      const record = await this.#deps.api.getAnswer(answerId);
      if (view !== this.#view) return;
      this.#lastActivity.set(record.answerId, this.#now());
      this.#set({ conversationId: record.conversationId, turns: [turnFromRecord(record)], loading: false });
    } catch (error) {
      if (view === this.#view) this.#set({ loading: false, error: userMessageOf(error) });
    }
  }

  /** Applies a pushed message to the answer it names, if that answer is on screen and the user's. */
  receive(message: SocketMessage): void {
    if (!this.#owns(message.answerId)) return;
    if (!this.#state.turns.some((turn) => turn.answerId === message.answerId)) return;
    this.#lastActivity.set(message.answerId, this.#now());
    this.#update(message.answerId, (answer) => reduceAnswer(answer, message));
  }

  setConnection(status: ConnectionStatus): void {
    const previous = this.#state.connection;
    if (status === previous) return;
    this.#set({ connection: status });
    // Back after a loss: chunks may have been missed, so ask for the pending answers now.
    if (status === 'open' && previous === 'reconnecting') void this.pollPending({ force: true });
  }

  dismissError(): void {
    this.#set({ error: undefined });
  }

  /** Polls every unfinished answer that is due (all of them with `force`). */
  async pollPending(options: { force?: boolean } = {}): Promise<void> {
    if (this.#polling) return;
    const every =
      this.#state.connection === 'open'
        ? (this.#deps.pollWhileConnectedMs ?? 10_000)
        : (this.#deps.pollWhileDisconnectedMs ?? 2000);
    const now = this.#now();
    const due = this.#state.turns.filter(
      (turn) =>
        !isTerminal(turn.answer.status) &&
        (options.force || now - (this.#lastActivity.get(turn.answerId) ?? 0) >= every),
    );
    if (due.length === 0) return;
    this.#polling = true;
    try {
      for (const turn of due) {
        this.#lastActivity.set(turn.answerId, this.#now());
        try {
          const record = await this.#deps.api.getAnswer(turn.answerId);
          this.#update(turn.answerId, (answer) => reduceAnswer(answer, snapshotOf(record)));
        } catch (error) {
          if (error instanceof AnswerNotFoundError) {
            this.#update(turn.answerId, (answer) =>
              reduceAnswer(answer, { type: 'answer.failed', reason: 'This answer is no longer available.' }),
            );
          }
          // Other failures (network, 5xx): try again at the next tick; a 401 signs the user out.
        }
      }
    } finally {
      this.#polling = false;
    }
  }

  /**
   * Stops waiting for answers past their deadline: asks chat-api once more (a read past the
   * deadline ends the answer there, FAILED "timed out") and, if it still has no final answer or
   * cannot be reached, marks the answer timed out here. The user can then try again.
   */
  async expireOverdue(): Promise<void> {
    const grace = this.#deps.deadlineGraceMs ?? 2000;
    const now = this.#now();
    const overdue = this.#state.turns.filter((turn) => {
      const deadline = turn.answer.deadlineAt ? Date.parse(turn.answer.deadlineAt) : Number.NaN;
      return !isTerminal(turn.answer.status) && !this.#expiring.has(turn.answerId) && now >= deadline + grace;
    });
    await Promise.all(
      overdue.map(async ({ answerId }) => {
        this.#expiring.add(answerId);
        try {
          const record = await this.#deps.api.getAnswer(answerId);
          this.#update(answerId, (answer) => reduceAnswer(answer, snapshotOf(record)));
        } catch {
          // unreachable: the verdict below
        } finally {
          this.#expiring.delete(answerId);
        }
        this.#update(answerId, (answer) => reduceAnswer(answer, { type: 'answer.timedOut' }));
      }),
    );
  }

  #owns(answerId: string): boolean {
    return isOwnedBy(answerId, this.#deps.userId);
  }

  #update(answerId: string, change: (answer: AnswerView) => AnswerView): void {
    let changed = false;
    const turns = this.#state.turns.map((turn) => {
      if (turn.answerId !== answerId) return turn;
      const answer = change(turn.answer);
      if (answer === turn.answer) return turn;
      changed = true;
      return { ...turn, answer };
    });
    if (changed) this.#set({ turns });
  }

  #set(patch: Partial<ChatState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }
}
