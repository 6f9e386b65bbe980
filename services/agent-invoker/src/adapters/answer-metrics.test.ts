import { captureOutput, metricLines } from '@tenant-assistant/testing';
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
    const lines = metricLines(output);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      service: 'agent-invoker',
      tenant: 'acme',
      tier: 'standard',
      AnswerCompleted: 1,
      AnswerLatency: 1234,
      InputTokens: 2500,
      OutputTokens: 65,
    });
    expect(lines[1]).toMatchObject({ AnswerCompleted: 1, AnswerLatency: 1234 });
    expect(lines[1]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(output).not.toContain('AnswerFailed');
  });

  it('writes a failed answer per tenant, per reason and service-wide', async () => {
    // Act
    const { output } = await captureOutput(() =>
      createAnswerMetrics().answered({ ...report, outcome: 'failed', reason: 'timeout' }),
    );

    // Assess
    const lines = metricLines(output);
    expect(lines.map((line) => line._aws.CloudWatchMetrics[0]?.Dimensions[0]?.slice().sort())).toEqual([
      ['service', 'tenant', 'tier'],
      ['reason', 'service'],
      ['service'],
    ]);
    expect(lines.every((line) => line.AnswerFailed === 1)).toBe(true);
    expect(lines[1]).toMatchObject({ reason: 'timeout' });
  });
});
