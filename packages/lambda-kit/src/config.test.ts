import * as z from 'zod';
import { env, envConfig, envValue, once, readEnv } from './config';
import { ConfigurationError } from './errors';

describe('readEnv', () => {
  const schema = z.object({
    TABLE: env.string(),
    LIMIT: env.positiveInteger(),
    LENGTH: env.integer({ min: 6, max: 99 }),
    STREAM: env.boolean(),
    ORIGINS: env.list(),
    AGENT: env.matching(/^[A-Z0-9]{1,10}$/),
    TIMEOUT: env.optional(env.positiveInteger(), 3000),
  });
  const valid = {
    TABLE: ' answers ',
    LIMIT: '10',
    LENGTH: '12',
    STREAM: 'TRUE',
    ORIGINS: 'https://a.test, ,https://b.test',
    AGENT: 'AGENT1',
  };

  it('reads every kind of variable', () => {
    // Act
    const config = readEnv(schema, valid);

    // Assess
    expect(config).toEqual({
      TABLE: 'answers',
      LIMIT: 10,
      LENGTH: 12,
      STREAM: true,
      ORIGINS: ['https://a.test', 'https://b.test'],
      AGENT: 'AGENT1',
      TIMEOUT: 3000,
    });
  });

  it.each([
    [{ TABLE: undefined }, 'TABLE is not set'],
    [{ TABLE: '   ' }, 'TABLE is not set'],
    [{ LIMIT: '0' }, 'LIMIT must be a positive integer, got "0"'],
    [{ LIMIT: '1.5' }, 'LIMIT must be a positive integer, got "1.5"'],
    [{ LENGTH: '100' }, 'LENGTH must be an integer from 6 to 99, got "100"'],
    [{ STREAM: 'yes' }, 'STREAM must be "true" or "false", got "yes"'],
    [{ AGENT: 'agent/../x' }, 'AGENT does not match /^[A-Z0-9]{1,10}$/'],
    [{ TIMEOUT: 'soon' }, 'TIMEOUT must be a positive integer, got "soon"'],
  ])('refuses %j, naming the variable', (override, message) => {
    // Act
    const reading = () => readEnv(schema, { ...valid, ...override });

    // Assess
    expect(reading).toThrow(new ConfigurationError(message));
  });

  it('names the first problem and lists them all', () => {
    // Act
    let error: unknown;
    try {
      readEnv(schema, {});
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toBe('TABLE is not set');
    expect((error as ConfigurationError).issues).toContain('AGENT is not set');
    expect((error as ConfigurationError).statusCode).toBe(500);
  });
});

describe('envConfig', () => {
  it('reads the environment once, on first use', () => {
    // Prepare
    const source: Record<string, string | undefined> = { TABLE: 'answers' };
    const config = envConfig(z.object({ TABLE: env.string() }), source);
    source.TABLE = 'changed';

    // Act
    const first = config();
    source.TABLE = 'changed again';
    const second = config();

    // Assess
    expect(first).toBe(second);
    expect(first.TABLE).toBe('changed');
  });

  it('does not keep a failed read', () => {
    // Prepare
    const source: Record<string, string | undefined> = {};
    const config = envConfig(z.object({ TABLE: env.string() }), source);

    // Act
    const failed = () => config();
    expect(failed).toThrow('TABLE is not set');
    source.TABLE = 'answers';

    // Assess
    expect(config().TABLE).toBe('answers');
  });
});

describe('envValue', () => {
  it('reads one variable on first use', () => {
    // Prepare
    const source: Record<string, string | undefined> = {};
    const bus = envValue('EVENT_BUS_NAME', env.string(), source);

    // Act
    const missing = () => bus();
    expect(missing).toThrow('EVENT_BUS_NAME is not set');
    source.EVENT_BUS_NAME = 'tenant-assistant-dev';

    // Assess
    expect(bus()).toBe('tenant-assistant-dev');
  });
});

describe('once', () => {
  it('calls the reader only once', () => {
    // Prepare
    const read = jest.fn(() => ({ value: 1 }));
    const config = once(read);

    // Act
    const values = [config(), config()];

    // Assess
    expect(values[0]).toBe(values[1]);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
