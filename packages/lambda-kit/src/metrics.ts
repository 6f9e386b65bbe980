import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';

/** CloudWatch namespace of every Tenant Assistant metric. */
export const METRICS_NAMESPACE = 'TenantAssistant';

/** A unit of CloudWatch metrics (`MetricUnit.Count`, `MetricUnit.Milliseconds`, …). */
export type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** One value of an embedded-metric-format line. */
export interface MetricValue {
  name: string;
  unit: Unit;
  value: number;
}

/** Writes a service's metrics. */
export interface MetricsWriter {
  /**
   * Writes one line at once (nothing waits for a flush at the end of the invocation): `values`
   * under `service` plus `dimensions` (none: the service-wide line alarms read). Values that are
   * not finite numbers are left out; a line with no value is not written.
   */
  emit(dimensions: Readonly<Record<string, string>>, values: readonly MetricValue[]): void;
}

/**
 * A service's metrics as CloudWatch embedded-metric-format lines (Powertools Metrics), namespace
 * `TenantAssistant`, dimension `service` on every line. Each `emit` is one line with all its
 * values under one dimension set (Powertools' `singleMetric` would write each value on a line of
 * its own, losing the dimensions after the first).
 *
 * @example const metrics = createMetrics('agent-invoker');
 *          metrics.emit({ tenant: 'acme' }, [{ name: 'AnswerCompleted', unit: MetricUnit.Count, value: 1 }]);
 */
export const createMetrics = (serviceName: string): MetricsWriter => ({
  emit(dimensions, values) {
    const kept = values.filter((metric) => Number.isFinite(metric.value));
    if (kept.length === 0) return;
    const line = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
    if (Object.keys(dimensions).length > 0) line.addDimensions({ ...dimensions });
    for (const metric of kept) line.addMetric(metric.name, metric.unit, metric.value);
    line.publishStoredMetrics();
  },
});
