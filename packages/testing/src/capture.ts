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
