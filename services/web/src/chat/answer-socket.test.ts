import {
  type ConnectionStatus,
  createAnswerSocket,
  parseSocketMessage,
  reconnectDelayMs,
  type SocketLike,
  socketUrl,
} from './answer-socket';

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({} as Event);
  }
  lose() {
    this.onerror?.({} as Event);
    this.onclose?.({ code: 1006 } as CloseEvent);
  }
  push(data: unknown) {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) } as MessageEvent);
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

const setup = (getIdToken: () => Promise<string> = async () => 'tok/en+1') => {
  const sockets: FakeSocket[] = [];
  const statuses: ConnectionStatus[] = [];
  const messages: unknown[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const socket = createAnswerSocket({
    url: 'wss://ws.example.com/dev',
    getIdToken,
    createSocket: (url) => {
      const fake = new FakeSocket(url);
      sockets.push(fake);
      return fake;
    },
    onMessage: (message) => messages.push(message),
    onStatus: (status) => statuses.push(status),
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    clearTimeout: () => undefined,
    random: () => 0.5,
  });
  return { socket, sockets, statuses, messages, timers };
};

describe('parseSocketMessage', () => {
  it('parses the three answer messages', () => {
    // Act / Assess
    expect(parseSocketMessage('{"type":"answer.chunk","answerId":"a","seq":0,"delta":"x"}')).toEqual({
      type: 'answer.chunk',
      answerId: 'a',
      seq: 0,
      delta: 'x',
    });
    expect(parseSocketMessage('{"type":"answer.completed","answerId":"a","text":"x"}')?.type).toBe(
      'answer.completed',
    );
    expect(parseSocketMessage('{"type":"answer.failed","answerId":"a","reason":"r"}')?.type).toBe(
      'answer.failed',
    );
  });

  it('ignores unknown, malformed and binary frames', () => {
    // Act / Assess
    expect(
      parseSocketMessage('{"type":"answer.snapshot","answerId":"a","status":"COMPLETED"}'),
    ).toBeUndefined();
    expect(parseSocketMessage('{"type":"answer.chunk","answerId":"a","seq":"1","text":"x"}')).toBeUndefined();
    expect(parseSocketMessage('not json')).toBeUndefined();
    expect(parseSocketMessage(new ArrayBuffer(2))).toBeUndefined();
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 1 s up to 30 s with jitter', () => {
    // Act / Assess
    expect([0, 1, 2, 3, 4, 5, 9].map((attempt) => reconnectDelayMs(attempt, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(reconnectDelayMs(0, () => 0)).toBe(800);
    expect(reconnectDelayMs(0, () => 1)).toBe(1200);
  });
});

describe('socketUrl', () => {
  it('adds the URL-encoded token as ?token=', () => {
    // Act / Assess
    expect(socketUrl('wss://x/dev', 'a+b/c')).toBe('wss://x/dev?token=a%2Bb%2Fc');
    expect(socketUrl('wss://x/dev?v=1', 't')).toBe('wss://x/dev?v=1&token=t');
  });
});

describe('createAnswerSocket', () => {
  it('connects with the ID token and reports the connection open', async () => {
    // Prepare
    const { socket, sockets, statuses } = setup();

    // Act
    socket.open();
    await flush();
    sockets[0]?.open();

    // Assess
    expect(sockets.map((s) => s.url)).toEqual(['wss://ws.example.com/dev?token=tok%2Fen%2B1']);
    expect(statuses).toEqual(['connecting', 'open']);
  });

  it('passes valid messages on and drops the rest', async () => {
    // Prepare
    const { socket, sockets, messages } = setup();
    socket.open();
    await flush();
    sockets[0]?.push({ type: 'answer.completed', answerId: 'a', text: 'done' });
    sockets[0]?.push('garbage');

    // Act
    sockets[0]?.push({ type: 'admin.broadcast', answerId: 'a' });

    // Assess
    expect(messages).toEqual([{ type: 'answer.completed', answerId: 'a', text: 'done' }]);
  });

  it('reconnects with backoff and a fresh token after losing the connection', async () => {
    // Prepare
    let n = 0;
    const { socket, sockets, statuses, timers } = setup(async () => `token-${++n}`);
    socket.open();
    await flush();
    sockets[0]?.open();

    // Act
    sockets[0]?.lose();
    timers[0]?.fn();
    await flush();
    sockets[1]?.lose();
    timers[1]?.fn();
    await flush();
    sockets[2]?.open();

    // Assess
    expect(timers.map((timer) => timer.ms)).toEqual([1000, 2000]);
    expect(sockets.map((s) => s.url.split('=')[1])).toEqual(['token-1', 'token-2', 'token-3']);
    expect(statuses).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'open',
    ]);
  });

  it('ignores events of a socket it has replaced', async () => {
    // Prepare
    const { socket, sockets, messages, statuses } = setup();
    socket.open();
    await flush();
    socket.reconnectNow();
    await flush();
    sockets[0]?.push({ type: 'answer.completed', answerId: 'a', text: 'old' });

    // Act
    sockets[0]?.lose();

    // Assess
    expect(sockets[0]?.closed).toBe(true);
    expect(messages).toEqual([]);
    expect(statuses.filter((status) => status === 'reconnecting')).toEqual([]);
  });

  it('stops when closed and does not reconnect', async () => {
    // Prepare
    const { socket, sockets, statuses, timers } = setup();
    socket.open();
    await flush();
    socket.close();

    // Act
    sockets[0]?.lose();

    // Assess
    expect(sockets[0]?.closed).toBe(true);
    expect(timers).toEqual([]);
    expect(statuses.at(-1)).toBe('closed');
  });

  it('gives up when there is no session to connect with', async () => {
    // Prepare
    const { socket, sockets, statuses } = setup(async () => {
      throw new Error('signed out');
    });
    socket.open();

    // Act
    await flush();

    // Assess
    expect(sockets).toEqual([]);
    expect(statuses).toEqual(['connecting', 'closed']);
  });
});
