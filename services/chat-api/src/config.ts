import { env, envValue } from '@tenant-assistant/lambda-kit/config';

/**
 * Configuration of the service, each value read from the environment once, when first needed (so
 * importing a handler never reads it, and each function needs only the variables it is given);
 * a missing or invalid one throws the kit's ConfigurationError naming it.
 */
export const config = {
  answersTableName: envValue('ANSWERS_TABLE_NAME', env.string()),
  connectionsTableName: envValue('CONNECTIONS_TABLE_NAME', env.string()),
  rateLimitsTableName: envValue('RATE_LIMITS_TABLE_NAME', env.string()),
  eventBusName: envValue('EVENT_BUS_NAME', env.string()),
  /** auth's control bus, where offboarding reports go. */
  controlBusName: envValue('CONTROL_EVENT_BUS_NAME', env.string()),
  /** Browser origins allowed by CORS (comma-separated `WEB_ORIGIN`). */
  webOrigins: envValue('WEB_ORIGIN', env.list()),
  conversationsTableName: envValue('CONVERSATIONS_TABLE_NAME', env.string()),
  /** auth's tenant registry: each tenant's current `tier` and `status`. */
  tenantRegistryTableName: envValue('TENANT_REGISTRY_TABLE_NAME', env.string()),
  /** The Cognito user pool (admin roles are its groups). */
  userPoolId: envValue('COGNITO_USER_POOL_ID', env.string()),
  /** Token usage per tenant, user, day and month (written by the agent-invoker). */
  usageTableName: envValue('USAGE_TABLE_NAME', env.string()),
  answerTtlDays: envValue('ANSWER_TTL_DAYS', env.positiveInteger()),
  /**
   * Seconds from submit to an answer's deadline (stage parameter `answerDeadlineSeconds`); also the
   * longest an answer holds its in-flight slot (a lost completion frees it then).
   */
  answerDeadlineSeconds: envValue('ANSWER_DEADLINE_SECONDS', env.positiveInteger()),
  connectionTtlSeconds: envValue('CONNECTION_TTL_SECONDS', env.positiveInteger()),
  /** `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>` (locally serverless-offline's WebSocket port). */
  websocketApiEndpoint: envValue('WEBSOCKET_API_ENDPOINT', env.string()),
};
