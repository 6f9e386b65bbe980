import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import { isRefusal } from './errors';

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

/** What an invocation came to: done, refused (a 4xx or a refused event), or failed. */
export type Outcome = 'done' | 'refused' | 'failed';

const outcomeOfStatus = (statusCode: unknown): Outcome | undefined => {
  if (typeof statusCode !== 'number') return undefined;
  if (statusCode >= 500) return 'failed';
  return statusCode >= 400 ? 'refused' : 'done';
};

export interface OutcomeMetricsOptions<E> {
  metrics: MetricsWriter;
  /**
   * The metric's name: `<name>` counts what was done, `<name>Refused` refusals (an HTTP 4xx, a
   * refused event, a 4xx AppError), `<name>Failed` failures (5xx, any other error).
   */
  name: string;
  /**
   * The line's dimensions from the event as the invocation left it (e.g. the verified tenant) and
   * the error, if any; values that are not short names (undefined, empty, over 100 characters,
   * control characters, JWT-shaped) are left out. Never anything but identifiers and names.
   */
  dimensions: (event: E, error?: unknown) => Readonly<Record<string, string | undefined>>;
  /** The outcome a successful invocation's result stands for (default: its HTTP status or `refused`). */
  outcomeOf?: (response: unknown) => Outcome | undefined;
}

const DIMENSION_VALUE = /^[^\p{Cc}]{1,100}$/u;
const isDimensionValue = (value: unknown): value is string =>
  typeof value === 'string' && DIMENSION_VALUE.test(value) && !value.startsWith('eyJ');

const defaultOutcomeOf = (response: unknown): Outcome | undefined => {
  const { statusCode, refused } = (response ?? {}) as { statusCode?: unknown; refused?: unknown };
  return refused === true ? 'refused' : outcomeOfStatus(statusCode);
};

/**
 * middy middleware that counts each invocation's outcome as one metric line: `<name>`,
 * `<name>Refused` or `<name>Failed` (1) under the given dimensions, plus a service-wide line of
 * the same count for alarms and the dashboard. Put it after the middleware that establishes the
 * tenant (its `after`/`onError` run first, with the handler's own response or error).
 *
 * @example middy(handler).use(eventTenantContext(…)).use(outcomeMetrics({ metrics, name: 'OffboardingReport', dimensions: (e) => ({ tenant: e.detail.tenantId }) }))
 */
export const outcomeMetrics = <E = unknown>(options: OutcomeMetricsOptions<E>): MiddlewareObj<E> => {
  const outcomeOf = options.outcomeOf ?? defaultOutcomeOf;
  const emitOutcome = (event: E, outcome: Outcome, error?: unknown) => {
    const name = { done: options.name, refused: `${options.name}Refused`, failed: `${options.name}Failed` }[
      outcome
    ];
    const dimensions = Object.fromEntries(
      Object.entries(options.dimensions(event, error)).filter((entry): entry is [string, string] =>
        isDimensionValue(entry[1]),
      ),
    );
    const count = [{ name, unit: MetricUnit.Count, value: 1 }];
    if (Object.keys(dimensions).length > 0) options.metrics.emit(dimensions, count);
    options.metrics.emit({}, count);
  };
  const outcomeMetricsAfter = async (request: Request<E>) => {
    emitOutcome(request.event, outcomeOf(request.response) ?? 'done');
  };
  const outcomeMetricsOnError = async (request: Request<E>) => {
    emitOutcome(request.event, isRefusal(request.error) ? 'refused' : 'failed', request.error);
  };
  return { after: outcomeMetricsAfter, onError: outcomeMetricsOnError };
};
