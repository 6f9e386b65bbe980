import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureOutput, expectMetricLines } from '@tenant-assistant/testing';
import { createMetrics, METRICS_NAMESPACE } from './metrics';

describe('createMetrics', () => {
  it('writes one embedded-metric-format line with the service, the dimensions and every value', async () => {
    // Prepare
    const metrics = createMetrics('test-service');

    // Act
    const { output } = await captureOutput(() =>
      metrics.emit({ tenant: 'acme' }, [
        { name: 'AnswerCompleted', unit: MetricUnit.Count, value: 1 },
        { name: 'AnswerLatency', unit: MetricUnit.Milliseconds, value: 250 },
      ]),
    );

    // Assess
    expectMetricLines(output, [
      {
        values: { service: 'test-service', tenant: 'acme', AnswerCompleted: 1, AnswerLatency: 250 },
        namespace: METRICS_NAMESPACE,
        dimensions: ['service', 'tenant'],
        metrics: [
          { Name: 'AnswerCompleted', Unit: 'Count' },
          { Name: 'AnswerLatency', Unit: 'Milliseconds' },
        ],
      },
    ]);
  });

  it('writes a service-wide line (only the service dimension) when given no dimensions', async () => {
    // Act
    const { output } = await captureOutput(() =>
      createMetrics('test-service').emit({}, [{ name: 'AnswerFailed', unit: MetricUnit.Count, value: 1 }]),
    );

    // Assess
    expectMetricLines(output, [{ values: { AnswerFailed: 1 }, dimensions: ['service'] }]);
  });

  it('leaves out values that are not finite numbers, and writes nothing without a value', async () => {
    // Prepare
    const metrics = createMetrics('test-service');

    // Act
    const { output } = await captureOutput(() => {
      metrics.emit({ tenant: 'acme' }, [
        { name: 'InputTokens', unit: MetricUnit.Count, value: Number.NaN },
        { name: 'OutputTokens', unit: MetricUnit.Count, value: 12 },
      ]);
      metrics.emit({ tenant: 'acme' }, [{ name: 'InputTokens', unit: MetricUnit.Count, value: Infinity }]);
    });

    // Assess
    expectMetricLines(output, [{ values: { OutputTokens: 12 }, absent: ['InputTokens'] }]);
  });
});
