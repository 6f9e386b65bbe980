import { parseServerMessage } from '@tenant-assistant/contracts/websocket';
import type { AnswerEvent } from './answer-stream';

/** A message pushed by chat-api over the WebSocket, for one answer. */
export type SocketMessage = AnswerEvent & { readonly answerId: string };

/**
 * Parses one WebSocket frame by the WebSocket contract; undefined for anything that is not a known
 * answer message (unknown types, bad JSON, binary frames are ignored, never shown).
 */
export const parseSocketMessage = (data: unknown): SocketMessage | undefined => parseServerMessage(data);

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The subset of the browser's WebSocket the client uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface AnswerSocketDeps {
  /** `wss://…` of the chat-api WebSocket API (stage path included). */
  readonly url: string;
  readonly getIdToken: () => Promise<string>;
  readonly createSocket: (url: string) => SocketLike;
  readonly onMessage: (message: SocketMessage) => void;
  readonly onStatus: (status: ConnectionStatus) => void;
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
  readonly random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0-based): 1 s doubling to 30 s, with ±20 % jitter. */
export const reconnectDelayMs = (attempt: number, random: () => number = Math.random): number => {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.8 + 0.4 * random()));
};

/** The socket URL with the ID token as `?token=` (chat-api verifies it on `$connect`). */
export const socketUrl = (url: string, token: string): string =>
  `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;

export interface AnswerSocket {
  /** Opens the connection (and keeps reopening it after losses) until `close`. */
  open(): void;
  /** Reconnects now (e.g. the user pressed "Reconnect" or the browser came back online). */
  reconnectNow(): void;
  close(): void;
}

/**
 * The answer WebSocket: connects with a fresh ID token, reports its status, and reconnects with
 * backoff after a loss (API Gateway also closes idle connections after 10 minutes).
 */
export const createAnswerSocket = (deps: AnswerSocketDeps): AnswerSocket => {
  const schedule = deps.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const cancel = deps.clearTimeout ?? ((handle) => globalThis.clearTimeout(handle as number));
  let socket: SocketLike | undefined;
  let timer: unknown;
  let attempt = 0;
  let stopped = true;
  let generation = 0;

  const retry = () => {
    if (stopped) return;
    deps.onStatus('reconnecting');
    timer = schedule(() => void connect(), reconnectDelayMs(attempt++, deps.random));
  };

  const connect = async () => {
    const mine = ++generation;
    deps.onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    let token: string;
    try {
      token = await deps.getIdToken();
    } catch {
      stopped = true; // signed out: nothing to reconnect
      deps.onStatus('closed');
      return;
    }
    if (stopped || mine !== generation) return;
    let current: SocketLike;
    try {
      current = deps.createSocket(socketUrl(deps.url, token));
    } catch {
      return retry();
    }
    socket = current;
    current.onopen = () => {
      if (mine !== generation) return;
      attempt = 0;
      deps.onStatus('open');
    };
    current.onmessage = (event) => {
      if (mine !== generation) return;
      const message = parseSocketMessage(event.data);
      if (message) deps.onMessage(message);
    };
    current.onerror = () => undefined; // onclose follows
    current.onclose = () => {
      if (mine !== generation) return;
      socket = undefined;
      retry();
    };
  };

  const drop = () => {
    generation++;
    cancel(timer);
    const current = socket;
    socket = undefined;
    current?.close(1000, 'client closed');
  };

  return {
    open() {
      if (!stopped) return;
      stopped = false;
      attempt = 0;
      void connect();
    },
    reconnectNow() {
      if (stopped) return;
      drop();
      attempt = 0;
      void connect();
    },
    close() {
      stopped = true;
      drop();
      deps.onStatus('closed');
    },
  };
};
