import { formatTenantMetrics } from './usage';

describe('formatTenantMetrics', () => {
  it("prints a tenant's prompts, answers, tokens and answer latency, then any other count", () => {
    // Act
    const text = formatTenantMetrics({
      tenantId: 'tenant2',
      totals: {
        PromptAccepted: 12,
        PromptThrottled: 3,
        AnswerCompleted: 11,
        AnswerFailed: 1,
        ApiRequest: 40,
      },
      timings: { AnswerLatency: { count: 12, p50: 480, p95: 1_250, max: 2_000 } },
      from: Date.parse('2026-12-02T17:00:00.000Z'),
    });
    // Assess
    expect(text.split('\n')).toEqual([
      'tenant2 — activity (local metrics since 2026-12-02T17:00:00.000Z)',
      '  prompts accepted           12',
      '  prompts throttled (429)    3',
      '  answers completed          11',
      '  answers failed             1',
      '  input tokens               0',
      '  output tokens              0',
      '  answer latency             p50 480 ms, p95 1,250 ms (12 answers)',
      '  other: ApiRequest 40',
    ]);
  });

  it('says when no answer has ended yet', () => {
    // Act
    const text = formatTenantMetrics({ tenantId: 'tenant3', totals: {}, timings: {} });
    // Assess
    expect(text).toContain('answer latency             no answers yet');
    expect(text.split('\n')[0]).toBe('tenant3 — activity (local metrics)');
  });
});
