import { captureOutput } from '@tenant-assistant/testing';
import { createLogger, type Logger } from '../src/logger';

/** Secrets of each kind the redaction must never write. */
export const jwt =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.eyJzdWIiOiI2ZjFjMmU0YS0wYjdkLTRjMWUtOWE1My0yZDhlN2Y2YTViNGMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
export const accessKeyId = 'ASIAQWERTYUIOPASDFGH';
export const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const sessionToken = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQExampleSessionToken';
export const password = 'correct-horse-battery-staple';

/** Logs with a fresh redacting logger and returns everything written. */
export const logged = async (write: (logger: Logger) => void) => {
  const logger = createLogger({ serviceName: 'redaction-test' });
  const { output } = await captureOutput(async () => write(logger));
  return output;
};

export const expectNoSecret = (
  output: string,
  secrets: readonly string[] = [jwt, accessKeyId, secretAccessKey, sessionToken, password],
) => {
  for (const secret of secrets) expect(output).not.toContain(secret);
};
