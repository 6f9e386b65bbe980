import { captureOutput, expectMetricLines } from '@tenant-assistant/testing';
import { createAnswerMetrics } from './answer-metrics';

const report = {
  tenantId: 'acme',
  tier: 'standard',
  latencyMs: 1234,
  inputTokens: 2500,
  outputTokens: 65,
} as const;

describe('createAnswerMetrics', () => {
  it('writes a completed answer per tenant and tier (outcome, latency, tokens) and service-wide', async () => {
    // Act
    const { output } = await captureOutput(() =>
      createAnswerMetrics().answered({ ...report, outcome: 'completed' }),
    );

    // Assess
    expectMetricLines(output, [
      {
        values: {
          service: 'agent-invoker',
          tenant: 'acme',
          tier: 'standard',
          AnswerCompleted: 1,
          AnswerLatency: 1234,
          InputTokens: 2500,
          OutputTokens: 65,
        },
        dimensions: ['service', 'tenant', 'tier'],
      },
      { values: { AnswerCompleted: 1, AnswerLatency: 1234 }, dimensions: ['service'] },
    ]);
    expect(output).not.toContain('AnswerFailed');
  });

  it('writes a failed answer per tenant, per reason and service-wide', async () => {
    // Act
    const { output } = await captureOutput(() =>
      createAnswerMetrics().answered({ ...report, outcome: 'failed', reason: 'timeout' }),
    );

    // Assess
    expectMetricLines(output, [
      { values: { AnswerFailed: 1 }, dimensions: ['service', 'tenant', 'tier'] },
      { values: { AnswerFailed: 1, reason: 'timeout' }, dimensions: ['reason', 'service'] },
      { values: { AnswerFailed: 1 }, dimensions: ['service'] },
    ]);
  });
});
