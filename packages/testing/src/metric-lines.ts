import { type MetricLine, metricLines } from './capture';

/** What one embedded-metric-format line must say. */
export interface ExpectedMetricLine {
  /** Values and dimension values the line holds (as `toMatchObject` compares). */
  values: Record<string, unknown>;
  /** The line's one dimension set, in any order. */
  dimensions?: readonly string[];
  /** The metrics the line declares, in order, with their units. */
  metrics?: readonly { Name: string; Unit: string }[];
  /** The namespace the line's one metric directive names. */
  namespace?: string;
  /** Names the line must not hold (a metric that must not be written). */
  absent?: readonly string[];
}

/**
 * Asserts the embedded-metric-format lines of captured output, one expectation per line in order
 * (no more lines, no fewer), and returns the lines.
 *
 * @example
 * expectMetricLines(output, [{ values: { tenant: 'acme', PromptAccepted: 1 }, dimensions: ['service', 'tenant', 'tier'] }]);
 */
export const expectMetricLines = (output: string, expected: readonly ExpectedMetricLine[]): MetricLine[] => {
  const lines = metricLines(output);
  expect(lines).toHaveLength(expected.length);
  expected.forEach((want, index) => {
    const line = lines[index] as MetricLine;
    const directives = line._aws.CloudWatchMetrics;
    expect(line).toMatchObject(want.values);
    for (const name of want.absent ?? []) expect(line).not.toHaveProperty(name);
    if (want.namespace !== undefined || want.metrics !== undefined) expect(directives).toHaveLength(1);
    if (want.namespace !== undefined) expect(directives[0]?.Namespace).toBe(want.namespace);
    if (want.metrics !== undefined) expect(directives[0]?.Metrics).toEqual(want.metrics);
    if (want.dimensions !== undefined) {
      expect(directives[0]?.Dimensions).toHaveLength(1);
      expect(directives[0]?.Dimensions[0]?.slice().sort()).toEqual([...want.dimensions].sort());
    }
  });
  return lines;
};
