import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  type EventBridgeEnvelope,
  type EventBridgeRule,
  InvalidEventPatternError,
  type LocalEventBridge,
  startLocalEventBridge,
} from '../src';
import { errorOf, localClient } from './fixtures';

const promptRule: EventBridgeRule = {
  service: 'tenant-assistant-agent-invoker',
  functionName: 'invokeAgent',
  eventBus: 'tenant-assistant-local',
  pattern: { source: ['tenant-assistant.chat-api'], 'detail-type': ['PromptSubmitted'] },
};
const answerRule: EventBridgeRule = {
  service: 'tenant-assistant-chat-api',
  functionName: 'onAnswerEvent',
  eventBus: 'arn:aws:events:us-east-1:000000000000:event-bus/tenant-assistant-local',
  pattern: { source: ['tenant-assistant.agent-invoker'], 'detail-type': ['AnswerChunk', 'AnswerCompleted'] },
};

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: 'tenant-assistant-local',
  Source: 'tenant-assistant.chat-api',
  DetailType: 'PromptSubmitted',
  Detail: JSON.stringify({ tenantId: 'tenant1', userId: 'u1', answerId: 'u1.01', prompt: 'hi' }),
  ...overrides,
});

describe('startLocalEventBridge', () => {
  let bus: LocalEventBridge;
  let client: EventBridgeClient;
  const received: Array<{ target: string; event: EventBridgeEnvelope }> = [];
  let behaviour: (target: EventBridgeRule) => Promise<void> = async () => undefined;

  beforeAll(async () => {
    bus = await startLocalEventBridge({
      rules: [promptRule, answerRule],
      buses: ['tenant-assistant-local'],
      retry: { maxAttempts: 3, baseDelayMs: 5 },
      invoke: async (target, event) => {
        received.push({ target: target.functionName, event });
        await behaviour(target);
      },
    });
    client = localClient(EventBridgeClient, bus.url, { once: true });
  });

  afterAll(async () => {
    await bus.close();
  });

  beforeEach(() => {
    received.length = 0;
    behaviour = async () => undefined;
  });

  it('delivers a matching event to its rule’s target in the EventBridge envelope', async () => {
    // Act
    const result = await client.send(
      new PutEventsCommand({ Entries: [entry({ Time: new Date('2026-01-02T03:04:05Z') })] }),
    );
    await bus.drain();

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]?.target).toBe('invokeAgent');
    expect(received[0]?.event).toEqual({
      version: '0',
      id: result.Entries?.[0]?.EventId,
      'detail-type': 'PromptSubmitted',
      source: 'tenant-assistant.chat-api',
      account: '000000000000',
      time: '2026-01-02T03:04:05Z',
      region: 'us-east-1',
      resources: [],
      detail: { tenantId: 'tenant1', userId: 'u1', answerId: 'u1.01', prompt: 'hi' },
    });
    expect(bus.published().at(-1)?.matched).toEqual(['tenant-assistant-agent-invoker.invokeAgent']);
  });

  it('routes by pattern and bus, and accepts events no rule matches', async () => {
    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: 'tenant-assistant.agent-invoker', DetailType: 'AnswerCompleted' }),
          entry({ DetailType: 'SomethingElse' }),
          entry({ EventBusName: 'default' }),
        ],
      }),
    );
    await bus.drain();

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.every((e) => typeof e.EventId === 'string')).toBe(true);
    expect(received.map((r) => r.target)).toEqual(['onAnswerEvent']);
  });

  it('refuses invalid entries one by one, like AWS', async () => {
    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ DetailType: undefined }),
          entry({ Source: undefined }),
          entry({ Detail: undefined }),
          entry({ Detail: '{not json' }),
          entry({ Detail: '[1,2]' }),
          entry({ Source: 'aws.ec2' }),
          entry({ EventBusName: 'no-such-bus' }),
          entry(),
        ],
      }),
    );
    await bus.drain();

    // Assess
    expect(result.FailedEntryCount).toBe(7);
    expect(result.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'NotAuthorizedForSourceException',
      'InvalidArgument',
      'ok',
    ]);
    expect(result.Entries?.[0]?.ErrorMessage).toBe(
      'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    );
    expect(received).toHaveLength(1);
  });

  it('refuses more than 10 entries and more than 256 KB', async () => {
    const tooMany = await errorOf(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })),
    );
    const tooLarge = await errorOf(
      client.send(
        new PutEventsCommand({
          Entries: [entry({ Detail: JSON.stringify({ text: 'x'.repeat(256 * 1024) }) })],
        }),
      ),
    );

    expect(tooMany.name).toBe('ValidationException');
    expect(tooLarge.name).toBe('ValidationException');
    expect(tooLarge.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers PutEvents without waiting for the target', async () => {
    // Prepare
    let release: () => void = () => undefined;
    behaviour = () => new Promise<void>((resolve) => (release = resolve));

    // Act
    const started = Date.now();
    const result = await client.send(new PutEventsCommand({ Entries: [entry()] }));
    const elapsed = Date.now() - started;

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(elapsed).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bus.deliveries().at(-1)?.status).toBe('pending');
    release();
    await bus.drain();
    expect(bus.deliveries().at(-1)?.status).toBe('delivered');
  });

  it('retries a failing target and records the delivery', async () => {
    // Prepare
    let calls = 0;
    behaviour = async () => {
      calls += 1;
      if (calls < 3) throw new Error(`attempt ${calls} failed`);
    };

    // Act
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await bus.drain();

    // Assess
    expect(bus.deliveries().at(-1)).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('records a delivery that fails after every attempt', async () => {
    behaviour = async () => {
      throw new Error('handler crashed');
    };

    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await bus.drain();

    expect(bus.failures().at(-1)).toMatchObject({ status: 'failed', attempts: 3, error: 'handler crashed' });
    expect(received).toHaveLength(3);
  });

  it('gives each target its own copy of the event', async () => {
    behaviour = async () => undefined;
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await bus.drain();
    const delivered = received[0]?.event.detail as Record<string, unknown>;
    delivered.tenantId = 'mutated';

    const kept = bus.published().at(-1)?.event.detail as Record<string, unknown> | undefined;
    expect(kept?.tenantId).toBe('tenant1');
  });
});

describe('startLocalEventBridge configuration', () => {
  it('refuses a rule with an invalid pattern at start', async () => {
    await expect(
      startLocalEventBridge({
        rules: [{ ...promptRule, pattern: { source: 'not-an-array' } }],
        invoke: async () => undefined,
      }),
    ).rejects.toBeInstanceOf(InvalidEventPatternError);
  });

  it('honours the target function’s own maximumRetryAttempts', async () => {
    const bus = await startLocalEventBridge({
      rules: [{ ...promptRule, functionAsync: { maximumRetryAttempts: 0 } }],
      retry: { maxAttempts: 5, baseDelayMs: 1 },
      invoke: async () => {
        throw new Error('no');
      },
    });
    try {
      const client = localClient(EventBridgeClient, bus.url);
      await client.send(new PutEventsCommand({ Entries: [entry()] }));
      await bus.drain();
      expect(bus.failures()[0]?.attempts).toBe(1);
    } finally {
      await bus.close();
    }
  });

  /** Publishes `count` prompts to a bus with `rules` and tells how many deliveries ran at once at most. */
  const mostAtOnce = async (rules: EventBridgeRule[], count: number) => {
    let running = 0;
    let most = 0;
    const bus = await startLocalEventBridge({
      rules,
      invoke: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      },
    });
    try {
      const client = localClient(EventBridgeClient, bus.url);
      await client.send(new PutEventsCommand({ Entries: Array.from({ length: count }, () => entry()) }));
      await bus.drain();
      return { most, statuses: bus.deliveries().map((delivery) => delivery.status) };
    } finally {
      await bus.close();
    }
  };

  it('runs at most reservedConcurrency deliveries to one function at once; the others wait their turn', async () => {
    // Prepare
    const rules = [{ ...promptRule, reservedConcurrency: 2 }, answerRule];

    // Act
    const { most, statuses } = await mostAtOnce(rules, 7);

    // Assess
    expect(most).toBe(2);
    expect(statuses).toEqual(Array(7).fill('delivered'));
  });

  it('leaves functions without reserved concurrency unbounded', async () => {
    // Act
    const { most } = await mostAtOnce([promptRule], 5);

    // Assess
    expect(most).toBe(5);
  });
});
