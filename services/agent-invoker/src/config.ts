import { InvalidConfigurationError } from './errors';

/** The agent-invoker's configuration, from its environment (set by serverless.yml). */
export interface Config {
  /** Bedrock agent id (`AGENT_ID`). */
  readonly agentId: string;
  /** Bedrock agent alias id (`AGENT_ALIAS_ID`). */
  readonly agentAliasId: string;
  /** The data bus answers are published to (`EVENT_BUS_NAME`). */
  readonly eventBusName: string;
  /** The Powertools idempotency table (`IDEMPOTENCY_TABLE_NAME`). */
  readonly idempotencyTableName: string;
  /** ARN of order-action-group's TenantDataAccessRole (`TENANT_DATA_ACCESS_ROLE_ARN`). */
  readonly tenantDataAccessRoleArn: string;
  /** ARN of the TenantConfig table (`TENANT_CONFIG_TABLE_ARN`). */
  readonly tenantConfigTableArn: string;
  /** ARN prefix of the per-tenant orders tables (`ORDERS_TABLE_ARN_PREFIX`). */
  readonly ordersTableArnPrefix: string;
  /** Whether Bedrock streams the final response (`STREAM_FINAL_RESPONSE`, "true" | "false"). */
  readonly streamFinalResponse: boolean;
  /** The Cognito user pool whose users' `custom:tenantId` decides membership (`COGNITO_USER_POOL_ID`). */
  readonly cognitoUserPoolId: string;
}

const AGENT_ID = /^[0-9A-Za-z]{1,10}$/;
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new InvalidConfigurationError(`${name} is not set`);
  return value;
};

const matching = (env: NodeJS.ProcessEnv, name: string, pattern: RegExp): string => {
  const value = required(env, name);
  if (!pattern.test(value)) throw new InvalidConfigurationError(`${name} does not match ${pattern}`);
  return value;
};

const flag = (env: NodeJS.ProcessEnv, name: string): boolean => {
  const value = required(env, name);
  if (value !== 'true' && value !== 'false') {
    throw new InvalidConfigurationError(`${name} must be "true" or "false"`);
  }
  return value === 'true';
};

/**
 * Reads and checks the configuration; throws InvalidConfigurationError naming the first missing or
 * malformed variable. Table ARNs are checked again by tenant-context when a session policy is built.
 *
 * @example const config = readConfig(process.env);
 */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config =>
  Object.freeze({
    agentId: matching(env, 'AGENT_ID', AGENT_ID),
    agentAliasId: matching(env, 'AGENT_ALIAS_ID', AGENT_ID),
    eventBusName: required(env, 'EVENT_BUS_NAME'),
    idempotencyTableName: required(env, 'IDEMPOTENCY_TABLE_NAME'),
    tenantDataAccessRoleArn: matching(env, 'TENANT_DATA_ACCESS_ROLE_ARN', ROLE_ARN),
    tenantConfigTableArn: required(env, 'TENANT_CONFIG_TABLE_ARN'),
    ordersTableArnPrefix: required(env, 'ORDERS_TABLE_ARN_PREFIX'),
    streamFinalResponse: flag(env, 'STREAM_FINAL_RESPONSE'),
    cognitoUserPoolId: matching(env, 'COGNITO_USER_POOL_ID', USER_POOL_ID),
  });
