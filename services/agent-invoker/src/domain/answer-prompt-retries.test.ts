import { InvokeAgentCommand, ValidationException } from '@aws-sdk/client-bedrock-agent-runtime';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  agentAnswers,
  agentMock,
  eventBridgeMock,
  refused,
  resetAnswerMocks,
  setup,
  throttled,
} from '../../test/support/answer-prompt';
import { publishedEvents } from '../../test/support/fakes';

beforeEach(resetAnswerMocks);

describe('answerPrompt', () => {
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
