import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createMetrics, type MetricsWriter } from '@tenant-assistant/lambda-kit/metrics';
import type { PromptMetrics } from '../ports';

export { METRICS_NAMESPACE } from '@tenant-assistant/lambda-kit/metrics';

const once = (name: string) => [{ name, unit: MetricUnit.Count, value: 1 }];

/**
 * Prompt outcomes as CloudWatch embedded-metric-format lines (lambda-kit's metrics): one line per
 * prompt, with the tenant and its tier as dimensions (and the limit's code for a throttle), so each
 * tenant's prompts and throttles can be graphed and alarmed on.
 *
 * @example const metrics = createPromptMetrics(); metrics.accepted('tenant1', 'basic');
 */
export const createPromptMetrics = (metrics: MetricsWriter = createMetrics('chat-api')): PromptMetrics => ({
  accepted(tenantId, tier) {
    metrics.emit({ tenant: tenantId, tier }, once('PromptAccepted'));
  },
  throttled(tenantId, tier, code) {
    metrics.emit({ tenant: tenantId, tier, limit: code }, once('PromptThrottled'));
  },
});
