import { env, envValue, once } from '@tenant-assistant/lambda-kit/config';
import { config } from './config';
import { ConfigurationError } from './errors';

describe('config', () => {
  it('reads a variable once, on first use', () => {
    // Prepare
    const read = jest.fn(() => 'value');
    const getter = once(read);

    // Act
    const values = [getter(), getter()];

    // Assess
    expect(values).toEqual(['value', 'value']);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('names the missing variable', () => {
    // Act
    const read = () => envValue('ANSWERS_TABLE_NAME', env.string(), {})();

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow('ANSWERS_TABLE_NAME is not set');
  });

  it.each(['0', '-3', '1.5', 'ten'])('refuses %j where a positive integer is needed', (raw) => {
    // Act
    const read = () => envValue('PROMPTS_PER_MINUTE', env.positiveInteger(), { PROMPTS_PER_MINUTE: raw })();

    // Assess
    expect(read).toThrow('PROMPTS_PER_MINUTE must be a positive integer');
  });

  it('does not read the environment when a handler module is imported', async () => {
    // Prepare
    const saved = process.env.ANSWERS_TABLE_NAME;
    delete process.env.ANSWERS_TABLE_NAME;

    // Act
    const imported = import('./functions/getAnswer/handler');

    // Assess
    await expect(imported).resolves.toHaveProperty('handler');
    expect(() => config.answersTableName()).toThrow('ANSWERS_TABLE_NAME is not set');
    if (saved !== undefined) process.env.ANSWERS_TABLE_NAME = saved;
  });
});
