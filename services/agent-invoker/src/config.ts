import { type Env, env, readEnv } from '@tenant-assistant/lambda-kit/config';
import * as z from 'zod';

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

const configEnv = z.object({
  AGENT_ID: env.matching(AGENT_ID),
  AGENT_ALIAS_ID: env.matching(AGENT_ID),
  EVENT_BUS_NAME: env.string(),
  IDEMPOTENCY_TABLE_NAME: env.string(),
  TENANT_DATA_ACCESS_ROLE_ARN: env.matching(ROLE_ARN),
  TENANT_CONFIG_TABLE_ARN: env.string(),
  ORDERS_TABLE_ARN_PREFIX: env.string(),
  STREAM_FINAL_RESPONSE: env.boolean(),
  COGNITO_USER_POOL_ID: env.matching(USER_POOL_ID),
});

/**
 * Reads and checks the configuration; throws ConfigurationError naming the first missing or
 * malformed variable. Table ARNs are checked again by tenant-context when a session policy is built.
 *
 * @example const config = readConfig(process.env);
 */
export const readConfig = (source: Env = process.env): Config => {
  const values = readEnv(configEnv, source);
  return Object.freeze({
    agentId: values.AGENT_ID,
    agentAliasId: values.AGENT_ALIAS_ID,
    eventBusName: values.EVENT_BUS_NAME,
    idempotencyTableName: values.IDEMPOTENCY_TABLE_NAME,
    tenantDataAccessRoleArn: values.TENANT_DATA_ACCESS_ROLE_ARN,
    tenantConfigTableArn: values.TENANT_CONFIG_TABLE_ARN,
    ordersTableArnPrefix: values.ORDERS_TABLE_ARN_PREFIX,
    streamFinalResponse: values.STREAM_FINAL_RESPONSE,
    cognitoUserPoolId: values.COGNITO_USER_POOL_ID,
  });
};
