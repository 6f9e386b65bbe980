import { MissingConfigurationError } from './errors';

/**
 * A getter that reads an environment variable once, on first use (so importing a handler for tests
 * never throws), and throws a clear MissingConfigurationError when it is missing or invalid.
 */
const lazy = <T>(read: () => T): (() => T) => {
  let value: { current: T } | undefined;
  return () => {
    value ??= { current: read() };
    return value.current;
  };
};

const requiredString = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name]?.trim();
  if (!value) throw new MissingConfigurationError(`${name} is not set`);
  return value;
};

const positiveInteger = (name: string, env: NodeJS.ProcessEnv = process.env): number => {
  const raw = requiredString(name, env);
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new MissingConfigurationError(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
};

/** Configuration of the service, each value read from the environment once, when first needed. */
export const config = {
  answersTableName: lazy(() => requiredString('ANSWERS_TABLE_NAME')),
  connectionsTableName: lazy(() => requiredString('CONNECTIONS_TABLE_NAME')),
  rateLimitsTableName: lazy(() => requiredString('RATE_LIMITS_TABLE_NAME')),
  eventBusName: lazy(() => requiredString('EVENT_BUS_NAME')),
  /** Browser origins allowed by CORS (comma-separated `WEB_ORIGIN`). */
  webOrigins: lazy(() =>
    requiredString('WEB_ORIGIN')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  ),
  promptsPerMinute: lazy(() => positiveInteger('PROMPTS_PER_MINUTE')),
  conversationsTableName: lazy(() => requiredString('CONVERSATIONS_TABLE_NAME')),
  answerTtlDays: lazy(() => positiveInteger('ANSWER_TTL_DAYS')),
  /** Seconds from submit to an answer's deadline (stage parameter `answerDeadlineSeconds`). */
  answerDeadlineSeconds: lazy(() => positiveInteger('ANSWER_DEADLINE_SECONDS')),
  connectionTtlSeconds: lazy(() => positiveInteger('CONNECTION_TTL_SECONDS')),
  /** `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>` (locally serverless-offline's WebSocket port). */
  websocketApiEndpoint: lazy(() => requiredString('WEBSOCKET_API_ENDPOINT')),
};

export { lazy, positiveInteger, requiredString };
