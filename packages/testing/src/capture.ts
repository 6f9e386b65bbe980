import { format } from 'node:util';

type Write = typeof process.stdout.write;
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Runs `fn` while capturing everything written to `process.stdout`, `process.stderr` and `console.*`
 * (nothing is echoed), then restores them, even when `fn` throws. Use it to prove secrets are not logged.
 * @example const { output } = await captureOutput(() => handler(event, lambdaContext()));
 * expect(output).not.toContain(token);
 */
export const captureOutput = async <T>(fn: () => Promise<T> | T): Promise<{ result: T; output: string }> => {
  const chunks: string[] = [];
  const capture =
    (): Write =>
    (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') done();
      return true;
    };
  const originalStdout = process.stdout.write;
  const originalStderr = process.stderr.write;
  const originalConsole = consoleMethods.map((method) => [method, console[method]] as const);
  process.stdout.write = capture();
  process.stderr.write = capture();
  for (const method of consoleMethods) {
    console[method] = (...args: unknown[]) => {
      chunks.push(`${format(...args)}\n`);
    };
  }
  try {
    const result = await fn();
    return { result, output: chunks.join('') };
  } finally {
    process.stdout.write = originalStdout;
    process.stderr.write = originalStderr;
    for (const [method, original] of originalConsole) console[method] = original;
  }
};

/** One JSON log line (Powertools writes one object a line). */
export type LogLine = Record<string, unknown>;

/**
 * Runs `fn` like {@link captureOutput} and also parses the JSON log lines written meanwhile. A
 * rejection is returned as `error`, not thrown, so a test can look at the logs of a refusal.
 * @example const { error, lines } = await captureLogs(() => handler(event, lambdaContext()));
 */
export const captureLogs = async <T>(
  fn: () => Promise<T>,
): Promise<{ value: T | undefined; error: unknown; lines: LogLine[]; output: string }> => {
  const { result, output } = await captureOutput(() =>
    fn().then(
      (value) => ({ value, error: undefined as unknown }),
      (error: unknown) => ({ value: undefined, error }),
    ),
  );
  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
  return { ...result, lines, output };
};

/** One CloudWatch embedded-metric-format line: its values and dimensions, and the `_aws` metadata. */
export type MetricLine = Record<string, unknown> & {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
};

/**
 * The embedded-metric-format lines (JSON objects with `_aws`) in captured output, in order.
 * @example const lines = metricLines((await captureOutput(() => handler(event, context))).output);
 */
export const metricLines = (output: string): MetricLine[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as MetricLine);
