import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PromptMetrics } from '../ports';

/** CloudWatch namespace of every Tenant Assistant metric. */
export const METRICS_NAMESPACE = 'TenantAssistant';

/**
 * Prompt outcomes as CloudWatch embedded-metric-format lines (Powertools Metrics): one line per
 * prompt, with the tenant and its tier as dimensions (and the limit's code for a throttle), so each
 * tenant's prompts and throttles can be graphed and alarmed on. Each line is written at once
 * (`singleMetric`), so nothing depends on a flush at the end of the invocation.
 *
 * @example const metrics = createPromptMetrics(); metrics.accepted('tenant1', 'basic');
 */
export const createPromptMetrics = (
  metrics: Metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'chat-api' }),
): PromptMetrics => ({
  accepted(tenantId, tier) {
    const line = metrics.singleMetric();
    line.addDimensions({ tenant: tenantId, tier });
    line.addMetric('PromptAccepted', MetricUnit.Count, 1);
  },
  throttled(tenantId, tier, code) {
    const line = metrics.singleMetric();
    line.addDimensions({ tenant: tenantId, tier, limit: code });
    line.addMetric('PromptThrottled', MetricUnit.Count, 1);
  },
});
