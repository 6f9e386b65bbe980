import { captureOutput } from './capture';

describe('captureOutput', () => {
  it('captures stdout, stderr and console output and returns the result', async () => {
    // Act
    const { result, output } = await captureOutput(async () => {
      process.stdout.write('to-stdout\n');
      process.stderr.write(Buffer.from('to-stderr\n'));
      console.log('log %s', 'formatted', { secret: 'abc' });
      console.error('an error');
      return 42;
    });

    // Assess
    expect(result).toBe(42);
    expect(output).toContain('to-stdout\n');
    expect(output).toContain('to-stderr\n');
    expect(output).toContain("log formatted { secret: 'abc' }\n");
    expect(output).toContain('an error\n');
  });

  it('restores the streams and console afterwards, even when the function throws', async () => {
    // Prepare
    const { write } = process.stdout;
    const { log } = console;

    // Act
    const outcome = captureOutput(() => {
      throw new Error('boom');
    });

    // Assess
    await expect(outcome).rejects.toThrow('boom');
    expect(process.stdout.write).toBe(write);
    expect(console.log).toBe(log);
  });

  it('calls write callbacks so stream-based loggers keep working', async () => {
    // Prepare
    const callback = jest.fn();

    // Act
    await captureOutput(() => process.stdout.write('x', 'utf8', callback));

    // Assess
    expect(callback).toHaveBeenCalledTimes(1);
  });
});
