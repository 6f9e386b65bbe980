import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createMetrics, type MetricsWriter } from '@tenant-assistant/lambda-kit/metrics';
import type { AnswerMetrics } from '../domain/answer-prompt';

/**
 * Each answer's outcome as CloudWatch embedded-metric-format lines (lambda-kit's metrics):
 * - per tenant and tier: `AnswerCompleted` or `AnswerFailed` (1), `AnswerLatency` (ms from submit
 *   to the answer's end), `InputTokens`, `OutputTokens`;
 * - per failure reason: `AnswerFailed`;
 * - service-wide (only the `service` dimension): `AnswerCompleted` / `AnswerFailed` and
 *   `AnswerLatency` — what the answer-failure-rate alarm and the dashboard read.
 *
 * @example const metrics = createAnswerMetrics(); metrics.answered({ tenantId: 'acme', ... });
 */
export const createAnswerMetrics = (
  metrics: MetricsWriter = createMetrics('agent-invoker'),
): AnswerMetrics => ({
  answered(report) {
    const count = {
      name: report.outcome === 'completed' ? 'AnswerCompleted' : 'AnswerFailed',
      unit: MetricUnit.Count,
      value: 1,
    };
    const latency = { name: 'AnswerLatency', unit: MetricUnit.Milliseconds, value: report.latencyMs };
    metrics.emit({ tenant: report.tenantId, tier: report.tier }, [
      count,
      latency,
      { name: 'InputTokens', unit: MetricUnit.Count, value: report.inputTokens },
      { name: 'OutputTokens', unit: MetricUnit.Count, value: report.outputTokens },
    ]);
    if (report.reason) metrics.emit({ reason: report.reason }, [count]);
    metrics.emit({}, [count, latency]);
  },
});
