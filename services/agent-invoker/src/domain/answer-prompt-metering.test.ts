import { ValidationException } from '@aws-sdk/client-bedrock-agent-runtime';
import {
  agentAnswers,
  eventBridgeMock,
  resetAnswerMocks,
  setup,
  throttled,
} from '../../test/support/answer-prompt';
import { publishedEvents, type StreamStep } from '../../test/support/fakes';

beforeEach(resetAnswerMocks);

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
