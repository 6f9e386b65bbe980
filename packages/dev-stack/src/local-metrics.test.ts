import { metricRecordOf, tenantMetrics } from './local-metrics';

const emf = (
  service: string,
  dimensions: Record<string, string>,
  metrics: Record<string, [number, string]>,
) =>
  JSON.stringify({
    _aws: {
      Timestamp: 1_796_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'TenantAssistant',
          Dimensions: [['service', ...Object.keys(dimensions)]],
          Metrics: Object.entries(metrics).map(([Name, [, Unit]]) => ({ Name, Unit })),
        },
      ],
    },
    service,
    ...dimensions,
    ...Object.fromEntries(Object.entries(metrics).map(([name, [value]]) => [name, value])),
  });

describe('metricRecordOf', () => {
  it('reads an embedded-metric-format line: service, dimensions, values and units', () => {
    // Act
    const record = metricRecordOf(
      emf('chat-api', { tenant: 'tenant1', tier: 'basic' }, { PromptAccepted: [1, 'Count'] }),
    );
    // Assess
    expect(record).toEqual({
      at: 1_796_000_000_000,
      service: 'chat-api',
      dimensions: { service: 'chat-api', tenant: 'tenant1', tier: 'basic' },
      values: { PromptAccepted: 1 },
      units: { PromptAccepted: 'Count' },
    });
  });

  it('ignores log lines, broken JSON and lines without a metric directive', () => {
    // Act / Assess
    expect(metricRecordOf('{"level":"INFO","message":"Answer event handled"}')).toBeUndefined();
    expect(metricRecordOf('{"_aws": {')).toBeUndefined();
    expect(metricRecordOf('{"_aws":{"Timestamp":1}}')).toBeUndefined();
    expect(metricRecordOf('offline: GET /answers (λ: getAnswer)')).toBeUndefined();
  });
});

describe('tenantMetrics', () => {
  const lines = [
    emf('chat-api', { tenant: 'tenant1', tier: 'basic' }, { PromptAccepted: [1, 'Count'] }),
    emf(
      'chat-api',
      { tenant: 'tenant1', tier: 'basic', limit: 'TENANT_RATE_LIMITED' },
      { PromptThrottled: [1, 'Count'] },
    ),
    emf('chat-api', { tenant: 'tenant2', tier: 'standard' }, { PromptAccepted: [1, 'Count'] }),
    ...[100, 300, 200, 900].map((latency) =>
      emf(
        'agent-invoker',
        { tenant: 'tenant1', tier: 'basic' },
        {
          AnswerCompleted: [1, 'Count'],
          AnswerLatency: [latency, 'Milliseconds'],
          InputTokens: [10, 'Count'],
        },
      ),
    ),
    // Service-wide and per-reason lines carry no tenant: never counted for one.
    emf('agent-invoker', {}, { AnswerCompleted: [1, 'Count'], AnswerLatency: [5000, 'Milliseconds'] }),
    emf('agent-invoker', { reason: 'timed out' }, { AnswerFailed: [1, 'Count'] }),
  ].flatMap((line) => metricRecordOf(line) ?? []);

  it("sums a tenant's counts and gives its timings' percentiles, from its own lines only", () => {
    // Act
    const view = tenantMetrics(lines, 'tenant1');
    // Assess
    expect(view).toEqual({
      tenantId: 'tenant1',
      totals: { PromptAccepted: 1, PromptThrottled: 1, AnswerCompleted: 4, InputTokens: 40 },
      timings: { AnswerLatency: { count: 4, p50: 200, p95: 900, max: 900 } },
      from: 1_796_000_000_000,
      to: 1_796_000_000_000,
    });
  });

  it("never mixes in another tenant's lines", () => {
    // Act
    const view = tenantMetrics(lines, 'tenant2');
    // Assess
    expect(view.totals).toEqual({ PromptAccepted: 1 });
    expect(view.timings).toEqual({});
  });
});
