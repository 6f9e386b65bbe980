import { InvokeAgentCommand, ValidationException } from '@aws-sdk/client-bedrock-agent-runtime';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ScopedCredentialsError } from '@tenant-assistant/tenant-context';
import {
  agentAnswers,
  agentMock,
  eventBridgeMock,
  refused,
  resetAnswerMocks,
  setup,
  throttled,
} from '../../test/support/answer-prompt';
import { publishedEvents, testConfig } from '../../test/support/fakes';
import { FAILURE_REASONS } from './failures';

beforeEach(resetAnswerMocks);

describe('answerPrompt', () => {
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
});
