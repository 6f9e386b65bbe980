import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { MAX_ANSWER_LENGTH, MAX_CHUNK_LENGTH, parseDetail } from '@tenant-assistant/contracts/events';
import { ScopedCredentialsError, tenantContext } from '@tenant-assistant/tenant-context';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import { mockClient } from 'aws-sdk-client-mock';
import {
  agentStream,
  fakeClock,
  fakeSleep,
  promptDetail,
  publishedEvents,
  type StreamStep,
  testConfig,
} from '../../test/support/fakes';
import { type AnswerPorts, answerPrompt } from './answer-prompt';
import { FAILURE_REASONS } from './failures';

const agentMock = mockClient(BedrockAgentRuntimeClient);
const eventBridgeMock = mockClient(EventBridgeClient);

const credentials = Object.freeze({
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0000000000',
  expiration: new Date(Date.now() + 3_600_000),
});

const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });

const refused = () =>
  new ScopedCredentialsError(
    'AssumeRole for tenant-scoped credentials failed',
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8002'), { code: 'ECONNREFUSED' }),
  );

const setup = (
  options: {
    credentialsFail?: Error;
    credentialsFailTimes?: number;
    deadlineInMs?: number;
    member?: boolean;
    meter?: AnswerPorts['meter'];
    metrics?: AnswerPorts['metrics'];
  } = {},
) => {
  const clock = fakeClock();
  const fake = fakeSleep();
  const { delays } = fake;
  // Waiting takes time: the fake clock moves on by what was waited.
  const sleep = async (ms: number) => {
    await fake.sleep(ms);
    clock.advance(ms);
  };
  const isMember = jest.fn(async () => options.member ?? true);
  let credentialCalls = 0;
  const getCredentials = jest.fn(async () => {
    credentialCalls += 1;
    const failing = credentialCalls <= (options.credentialsFailTimes ?? Number.POSITIVE_INFINITY);
    if (options.credentialsFail && failing) throw options.credentialsFail;
    return credentials;
  });
  const ports: AnswerPorts = {
    membership: { isMember },
    credentials: { get: getCredentials },
    agent: new BedrockAgentRuntimeClient({ region: 'us-east-1' }),
    eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
    settings: testConfig,
    logger: createLogger({ serviceName: 'agent-invoker-test', logLevel: 'SILENT' }),
    clock: clock.now,
    sleep,
    random: () => 0.5,
    ...(options.meter ? { meter: options.meter } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  const detail = parseDetail('PromptSubmitted', promptDetail());
  const tenant = tenantContext(detail);
  const deadline = clock.now() + (options.deadlineInMs ?? 20_000);
  const run = (failureDeadline?: number) =>
    answerPrompt(ports, tenant, detail, {
      deadline,
      ...(failureDeadline === undefined ? {} : { failureDeadline }),
    });
  return { clock, delays, getCredentials, isMember, detail, tenant, deadline, run };
};

/** Each InvokeAgent call answers with the next script (the last one repeats). */
const agentAnswers = (clock: { advance: (ms: number) => void }, ...scripts: (StreamStep[] | Error)[]) => {
  let call = 0;
  agentMock.on(InvokeAgentCommand).callsFake(async () => {
    const script = scripts[Math.min(call, scripts.length - 1)];
    call += 1;
    if (script instanceof Error) throw script;
    return agentStream(script ?? [], clock);
  });
};

beforeEach(() => {
  agentMock.reset();
  eventBridgeMock.reset();
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

describe('answerPrompt', () => {
  test('publishes coalesced AnswerChunks numbered from 0, then one AnswerCompleted with their concatenation', async () => {
    // Prepare
    const { clock, detail, run } = setup();
    const pieces = ['Your ', 'order ', 'o-1001 ', 'can ', 'be ', 'returned ', 'until ', 'January ', '30.'];
    agentAnswers(
      clock,
      pieces.map((text) => ({ text, afterMs: 100 })),
    );
    // Act
    const outcome = await run();
    // Assess
    const events = publishedEvents(eventBridgeMock);
    const chunks = events.filter((e) => e.detailType === 'AnswerChunk');
    const completed = events.filter((e) => e.detailType === 'AnswerCompleted');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(pieces.length);
    expect(chunks.map((c) => c.detail.seq)).toEqual(chunks.map((_, index) => index));
    expect(completed).toHaveLength(1);
    expect(events.at(-1)?.detailType).toBe('AnswerCompleted');
    expect(completed[0]?.detail).toEqual({
      tenantId: detail.tenantId,
      userId: detail.userId,
      answerId: detail.answerId,
      text: pieces.join(''),
    });
    expect(chunks.map((c) => c.detail.text).join('')).toBe(pieces.join(''));
    expect(
      events.every((e) => e.bus === testConfig.eventBusName && e.source === 'tenant-assistant.agent-invoker'),
    ).toBe(true);
    expect(outcome).toEqual({
      answerId: detail.answerId,
      outcome: 'completed',
      chunks: chunks.length,
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  test('publishes the last chunk and AnswerCompleted together in one PutEvents call, in this order', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [
      { text: 'Your order ', afterMs: 0 },
      { text: 'o-1001 ', afterMs: 10 },
      { text: 'has shipped.', afterMs: 10 },
    ]);
    // Act
    const outcome = await run();
    // Assess
    const calls = eventBridgeMock
      .commandCalls(PutEventsCommand)
      .map((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.DetailType));
    expect(calls).toEqual([['AnswerChunk'], ['AnswerChunk', 'AnswerCompleted']]);
    const events = publishedEvents(eventBridgeMock);
    expect(events.map((e) => [e.detailType, e.detail.seq, e.detail.text])).toEqual([
      ['AnswerChunk', 0, 'Your order '],
      ['AnswerChunk', 1, 'o-1001 has shipped.'],
      ['AnswerCompleted', undefined, 'Your order o-1001 has shipped.'],
    ]);
    expect(outcome).toMatchObject({ outcome: 'completed', chunks: 2 });
  });

  test('asks for credentials of exactly the prompt’s tenant and user', async () => {
    // Prepare
    const { clock, tenant, getCredentials, run } = setup();
    agentAnswers(clock, ['Hello']);
    // Act
    await run();
    // Assess
    expect(getCredentials).toHaveBeenCalledTimes(1);
    expect(getCredentials).toHaveBeenCalledWith(tenant);
  });

  test('retries a throttled agent with backoff, then answers', async () => {
    // Prepare
    const { clock, delays, run } = setup();
    agentAnswers(clock, throttled(), throttled(), ['Here ', 'you go.']);
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(3);
    expect(delays).toEqual([188, 375]);
    expect(outcome.outcome).toBe('completed');
    const events = publishedEvents(eventBridgeMock);
    expect(events.filter((e) => e.detailType === 'AnswerFailed')).toEqual([]);
    expect(events.find((e) => e.detailType === 'AnswerCompleted')?.detail.text).toBe('Here you go.');
  });

  test('retries throttling reported inside the stream before any text', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [{ event: { throttlingException: throttled() } }], ['Done.']);
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(2);
    expect(outcome.outcome).toBe('completed');
  });

  test('publishes one AnswerFailed, without retrying, on a permanent failure', async () => {
    // Prepare
    const { clock, delays, detail, run } = setup();
    agentAnswers(
      clock,
      new ValidationException({ message: 'Invalid input', $metadata: { httpStatusCode: 400 } }),
    );
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(publishedEvents(eventBridgeMock)).toEqual([
      {
        detailType: 'AnswerFailed',
        source: 'tenant-assistant.agent-invoker',
        bus: testConfig.eventBusName,
        detail: {
          tenantId: detail.tenantId,
          userId: detail.userId,
          answerId: detail.answerId,
          reason: FAILURE_REASONS.unavailable,
        },
      },
    ]);
    expect(outcome).toEqual({
      answerId: detail.answerId,
      outcome: 'failed',
      chunks: 0,
      reason: 'unavailable',
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  test('publishes AnswerFailed (busy) when throttling lasts until the deadline', async () => {
    // Prepare
    const { clock, run } = setup({ deadlineInMs: 1_000 });
    agentAnswers(clock, throttled());
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand).length).toBeGreaterThan(1);
    expect(outcome.reason).toBe('busy');
    const failed = publishedEvents(eventBridgeMock).filter((e) => e.detailType === 'AnswerFailed');
    expect(failed.map((e) => e.detail.reason)).toEqual([FAILURE_REASONS.busy]);
  });

  test("refuses a user who is not a member of the prompt's tenant before asking for credentials", async () => {
    // Prepare
    const { run, isMember, getCredentials, tenant } = setup({ member: false });
    // Act
    const outcome = await run();
    // Assess
    expect(isMember).toHaveBeenCalledWith(tenant.tenantId, tenant.userId);
    expect(getCredentials).not.toHaveBeenCalled();
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock).map((e) => [e.detailType, e.detail.reason])).toEqual([
      ['AnswerFailed', FAILURE_REASONS.invalidRequest],
    ]);
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'invalidRequest' });
  });

  test('fails an answer longer than the contract allows (tooLong), its chunks bounded by the contract', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [
      { text: 'x'.repeat(MAX_CHUNK_LENGTH * 3), afterMs: 0 },
      { text: 'y'.repeat(MAX_ANSWER_LENGTH), afterMs: 0 },
    ]);
    // Act
    const outcome = await run();
    // Assess
    const events = publishedEvents(eventBridgeMock);
    const chunks = events.filter((e) => e.detailType === 'AnswerChunk');
    expect(chunks.map((e) => (e.detail.text as string).length)).toEqual([
      MAX_CHUNK_LENGTH,
      MAX_CHUNK_LENGTH,
      MAX_CHUNK_LENGTH,
    ]);
    expect(events.at(-1)).toMatchObject({
      detailType: 'AnswerFailed',
      detail: { reason: FAILURE_REASONS.interrupted },
    });
    expect(outcome.outcome).toBe('failed');
  });

  test('publishes AnswerFailed and never calls the agent when STS refuses credentials', async () => {
    // Prepare
    const stsError = Object.assign(new Error('User is not authorized to perform sts:AssumeRole'), {
      name: 'AccessDenied',
    });
    const { run } = setup({ credentialsFail: new ScopedCredentialsError('AssumeRole failed', stsError) });
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock).map((e) => [e.detailType, e.detail.reason])).toEqual([
      ['AnswerFailed', FAILURE_REASONS.unavailable],
    ]);
    expect(outcome.outcome).toBe('failed');
  });

  test('publishes AnswerFailed (interrupted) and does not retry when the stream breaks after chunks went out', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [{ text: 'The first part', afterMs: 0 }, { fail: throttled() }]);
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    expect(publishedEvents(eventBridgeMock).map((e) => e.detailType)).toEqual([
      'AnswerChunk',
      'AnswerFailed',
    ]);
    expect(outcome).toMatchObject({ outcome: 'failed', chunks: 1, reason: 'interrupted' });
  });

  test('publishes AnswerFailed (timeout) when the agent stalls past the deadline', async () => {
    // Prepare
    const { clock, run } = setup({ deadlineInMs: 30 });
    agentAnswers(clock, [{ waitFor: new Promise(() => {}) }]);
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.reason).toBe('timeout');
    expect(publishedEvents(eventBridgeMock).map((e) => [e.detailType, e.detail.reason])).toEqual([
      ['AnswerFailed', FAILURE_REASONS.timeout],
    ]);
  });

  test('publishes AnswerFailed (empty) when the agent returns no text', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [{ event: { trace: { sessionId: 's' } } }]);
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.reason).toBe('empty');
    expect(publishedEvents(eventBridgeMock).map((e) => e.detailType)).toEqual(['AnswerFailed']);
  });

  test('publishes AnswerFailed when AnswerCompleted is refused by the bus for good', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, ['Hello']);
    eventBridgeMock
      .on(PutEventsCommand)
      .callsFake(async (input: { Entries: { DetailType: string }[] }) =>
        input.Entries[0]?.DetailType === 'AnswerCompleted'
          ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException' }] }
          : { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] },
      );
    // Act
    const outcome = await run();
    // Assess
    expect(publishedEvents(eventBridgeMock).map((e) => e.detailType)).toEqual([
      'AnswerChunk',
      'AnswerCompleted',
      'AnswerFailed',
    ]);
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'interrupted' });
  });

  test('throws when not even AnswerFailed can be published, so the event is retried', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, ['Hello']);
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('EventBridge unavailable'));
    // Act
    const running = run();
    // Assess
    await expect(running).rejects.toThrow('EventBridge unavailable');
  });

  test('retries AssumeRole while STS is unreachable, then answers', async () => {
    // Prepare
    const { clock, delays, getCredentials, run } = setup({
      credentialsFail: refused(),
      credentialsFailTimes: 3,
    });
    agentAnswers(clock, ['Hello']);
    // Act
    const outcome = await run();
    // Assess
    expect(getCredentials).toHaveBeenCalledTimes(4);
    expect(delays).toEqual([188, 375, 750]);
    expect(outcome.outcome).toBe('completed');
    expect(publishedEvents(eventBridgeMock).map((e) => e.detailType)).toEqual([
      'AnswerChunk',
      'AnswerCompleted',
    ]);
  });

  test('publishes one AnswerFailed (unavailable) when STS stays unreachable until the deadline', async () => {
    // Prepare
    const { clock, getCredentials, run, deadline } = setup({
      credentialsFail: refused(),
      deadlineInMs: 3_000,
    });
    agentAnswers(clock, ['Hello']);
    // Act
    const outcome = await run();
    // Assess
    expect(getCredentials.mock.calls.length).toBeGreaterThan(1);
    expect(clock.now()).toBeLessThan(deadline);
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock).map((e) => [e.detailType, e.detail.reason])).toEqual([
      ['AnswerFailed', FAILURE_REASONS.unavailable],
    ]);
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'unavailable' });
  });

  test('retries a completion the bus refuses with InternalFailure, and completes once', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, ['Hello']);
    let refusals = 0;
    eventBridgeMock.on(PutEventsCommand).callsFake(async (input: { Entries: { DetailType: string }[] }) => {
      if (input.Entries.at(-1)?.DetailType === 'AnswerCompleted' && refusals < 2) {
        refusals += 1;
        return {
          FailedEntryCount: 1,
          Entries: input.Entries.map((entry) =>
            entry.DetailType === 'AnswerCompleted' ? { ErrorCode: 'InternalFailure' } : { EventId: 'e' },
          ),
        };
      }
      return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'e' })) };
    });
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.outcome).toBe('completed');
    const calls = eventBridgeMock
      .commandCalls(PutEventsCommand)
      .map((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.DetailType).join('+'));
    expect(calls).toEqual(['AnswerChunk', 'AnswerCompleted', 'AnswerCompleted', 'AnswerCompleted']);
    expect(publishedEvents(eventBridgeMock).some((e) => e.detailType === 'AnswerFailed')).toBe(false);
  });

  test('retries a throttled chunk publish without asking the agent again', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [
      { text: 'The first part ', afterMs: 0 },
      { text: 'and the rest.', afterMs: 10 },
    ]);
    let throttledOnce = false;
    eventBridgeMock.on(PutEventsCommand).callsFake(async (input: { Entries: { DetailType: string }[] }) => {
      if (!throttledOnce) {
        throttledOnce = true;
        throw throttled();
      }
      return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'e' })) };
    });
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    expect(outcome).toMatchObject({ outcome: 'completed', chunks: 2 });
  });

  test('a chunk that cannot be published fails the answer once and does not ask the agent again', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [{ text: 'The first part', afterMs: 0 }, 'and more']);
    eventBridgeMock
      .on(PutEventsCommand)
      .callsFake(async (input: { Entries: { DetailType: string }[] }) =>
        input.Entries[0]?.DetailType === 'AnswerChunk'
          ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException' }] }
          : { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] },
      );
    // Act
    const outcome = await run();
    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    expect(publishedEvents(eventBridgeMock).map((e) => e.detailType)).toEqual([
      'AnswerChunk',
      'AnswerFailed',
    ]);
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'unavailable' });
  });

  test('keeps retrying AnswerFailed after the deadline, until the failure deadline', async () => {
    // Prepare
    const { clock, run, deadline } = setup({ deadlineInMs: 1_000 });
    agentAnswers(clock, new ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400 } }));
    let attempts = 0;
    eventBridgeMock.on(PutEventsCommand).callsFake(async () => {
      attempts += 1;
      clock.advance(400); // each attempt takes a while: the deadline passes during the retries
      if (attempts < 4) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] };
    });
    // Act
    const outcome = await run(deadline + 5_000);
    // Assess
    expect(attempts).toBe(4);
    expect(clock.now()).toBeGreaterThan(deadline);
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'unavailable' });
  });
});

describe('answerPrompt metering', () => {
  const usageTrace = (inputTokens: number, outputTokens: number): StreamStep => ({
    event: {
      trace: {
        trace: {
          orchestrationTrace: {
            modelInvocationOutput: { metadata: { usage: { inputTokens, outputTokens } } },
          },
        },
      },
    },
  });

  test("records the answer's tokens once, after the completion is published", async () => {
    // Prepare
    const meter = jest.fn(async () => true);
    const { clock, detail, run } = setup({ meter });
    agentAnswers(clock, [usageTrace(1200, 40), usageTrace(1300, 25), 'The policy is 30 days.']);
    // Act
    const outcome = await run();
    // Assess
    expect(outcome).toMatchObject({ outcome: 'completed', inputTokens: 2500, outputTokens: 65 });
    expect(meter).toHaveBeenCalledTimes(1);
    expect(meter).toHaveBeenCalledWith({
      tenantId: detail.tenantId,
      userId: detail.userId,
      answerId: detail.answerId,
      inputTokens: 2500,
      outputTokens: 65,
      at: new Date(clock.now()),
    });
    expect(publishedEvents(eventBridgeMock).at(-1)?.detailType).toBe('AnswerCompleted');
  });

  test('counts the tokens of a failed attempt that was retried, and of a failed answer', async () => {
    // Prepare
    const meter = jest.fn(async () => true);
    const { clock, run } = setup({ meter });
    agentAnswers(
      clock,
      [usageTrace(900, 10), { fail: throttled() }],
      [usageTrace(1000, 0), { fail: new ValidationException({ message: 'bad', $metadata: {} }) }],
    );
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.outcome).toBe('failed');
    expect(meter).toHaveBeenCalledWith(expect.objectContaining({ inputTokens: 1900, outputTokens: 10 }));
  });

  test('still completes the answer when recording the usage fails', async () => {
    // Prepare
    const meter = jest.fn(async () => {
      throw new Error('throttled');
    });
    const { clock, run } = setup({ meter });
    agentAnswers(clock, [usageTrace(10, 1), 'Hello.']);
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.outcome).toBe('completed');
    expect(publishedEvents(eventBridgeMock).map((event) => event.detailType)).toContain('AnswerCompleted');
  });
});

describe('answerPrompt metrics', () => {
  test('reports a completed answer with its tenant, tier (basic when the event names none), latency from submit and tokens', async () => {
    // Prepare
    const answered = jest.fn();
    const { clock, detail, run } = setup({ metrics: { answered } });
    agentAnswers(clock, ['The policy is 30 days.']);
    // Act
    await run();
    // Assess
    expect(answered).toHaveBeenCalledTimes(1);
    expect(answered).toHaveBeenCalledWith({
      tenantId: detail.tenantId,
      tier: 'basic',
      outcome: 'completed',
      latencyMs: clock.now() - Date.parse(detail.submittedAt),
      inputTokens: 0,
      outputTokens: 0,
    });
    expect(answered.mock.calls[0]?.[0]).not.toHaveProperty('userId');
  });

  test('reports a failed answer with its reason', async () => {
    // Prepare
    const answered = jest.fn();
    const { clock, run } = setup({ metrics: { answered }, member: false });
    agentAnswers(clock, ['never asked']);
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.outcome).toBe('failed');
    expect(answered).toHaveBeenCalledWith(
      expect.objectContaining({ outcome: 'failed', reason: outcome.reason }),
    );
  });

  test('still completes the answer when writing the metrics fails', async () => {
    // Prepare
    const answered = jest.fn(() => {
      throw new Error('EMF serializer failed');
    });
    const { clock, run } = setup({ metrics: { answered } });
    agentAnswers(clock, ['Hello.']);
    // Act
    const outcome = await run();
    // Assess
    expect(answered).toHaveBeenCalledTimes(1);
    expect(outcome.outcome).toBe('completed');
  });
});
