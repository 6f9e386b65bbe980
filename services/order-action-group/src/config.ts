import { type Env, env, readEnv } from '@tenant-assistant/lambda-kit/config';
import { ConfigurationError } from '@tenant-assistant/lambda-kit/errors';
import * as z from 'zod';

export { once } from '@tenant-assistant/lambda-kit/config';

/** Names of the environment variables this service reads (set in serverless.yml). */
export const ENV = {
  tenantConfigTableName: 'TENANT_CONFIG_TABLE_NAME',
  ordersTablePrefix: 'ORDERS_TABLE_PREFIX',
  dataTimeoutMs: 'DATA_TIMEOUT_MS',
  provisioningMaxWaitSeconds: 'PROVISIONING_MAX_WAIT_SECONDS',
  ordersTableArnPrefix: 'ORDERS_TABLE_ARN_PREFIX',
  ordersTableKmsKeyArn: 'ORDERS_TABLE_KMS_KEY_ARN',
  ordersTableDeletionProtection: 'ORDERS_TABLE_DELETION_PROTECTION',
  controlBusName: 'CONTROL_EVENT_BUS_NAME',
} as const;

/** Where tenant data lives. */
export interface TableNames {
  /** The TenantConfig table (partition key `tenantId`). */
  tenantConfigTableName: string;
  /** Orders tables are `<ordersTablePrefix><tenantId>` (partition key `userId`, sort key `orderId`). */
  ordersTablePrefix: string;
}

const tableEnv = {
  [ENV.tenantConfigTableName]: env.matching(/^[A-Za-z0-9_.-]{3,255}$/),
  [ENV.ordersTablePrefix]: env.matching(/^[A-Za-z0-9_.-]{1,190}$/),
};

const tablesOf = (
  values: Record<(typeof ENV)['tenantConfigTableName' | 'ordersTablePrefix'], string>,
): TableNames => ({
  tenantConfigTableName: values[ENV.tenantConfigTableName],
  ordersTablePrefix: values[ENV.ordersTablePrefix],
});

/** Table names, read from the environment; throws ConfigurationError when one is missing. */
export const readTableNames = (): TableNames => tablesOf(readEnv(z.object(tableEnv)));

/** Configuration of the action-group function. */
export interface ActionGroupConfig {
  tables: TableNames;
  /** Longest a DynamoDB call may take before the answer becomes a FAILURE (default 3000 ms). */
  dataTimeoutMs: number;
}

export const readActionGroupConfig = (): ActionGroupConfig => {
  const values = readEnv(
    z.object({ ...tableEnv, [ENV.dataTimeoutMs]: env.optional(env.positiveInteger(), 3000) }),
  );
  return { tables: tablesOf(values), dataTimeoutMs: values[ENV.dataTimeoutMs] };
};

/** How each tenant's orders table is created (besides its name and key schema). */
export interface OrdersTableSettings {
  /** `arn:<partition>:dynamodb:<region>:<account>:table/<ordersTablePrefix>`: a table's ARN is this plus the tenant id. */
  arnPrefix: string;
  /** A customer managed KMS key (ARN) that encrypts the tables; undefined: DynamoDB's AWS owned key. */
  kmsKeyArn?: string;
  /** Deletion protection on each table (on where the stage keeps its data when the stack is removed). */
  deletionProtection: boolean;
}

/** Configuration of the provisioning function. */
export interface ProvisioningConfig {
  tables: TableNames;
  ordersTables: OrdersTableSettings;
  /** Longest to wait for a new orders table to become ACTIVE (default 120 s). */
  maxWaitSeconds: number;
  /** The auth service's control bus, where the offboarding report goes. */
  controlBusName: string;
}

const ORDERS_TABLE_ARN_PREFIX = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{1,190}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export const readProvisioningConfig = (source: Env = process.env): ProvisioningConfig => {
  const values = readEnv(
    z.object({
      ...tableEnv,
      [ENV.provisioningMaxWaitSeconds]: env.optional(env.positiveInteger(), 120),
      [ENV.ordersTableArnPrefix]: env.matching(ORDERS_TABLE_ARN_PREFIX),
      // Unset or blank: the AWS owned key (DynamoDB's default encryption at rest).
      [ENV.ordersTableKmsKeyArn]: env.optional(env.matching(KMS_KEY_ARN), undefined),
      [ENV.ordersTableDeletionProtection]: env.optional(env.boolean(), true),
      [ENV.controlBusName]: env.string(),
    }),
    source,
  );
  const arnPrefix = values[ENV.ordersTableArnPrefix];
  if (!arnPrefix.endsWith(`:table/${values[ENV.ordersTablePrefix]}`)) {
    throw new ConfigurationError(
      `${ENV.ordersTableArnPrefix} must name the tables of ${ENV.ordersTablePrefix} (end with ":table/${values[ENV.ordersTablePrefix]}"), got "${arnPrefix}"`,
    );
  }
  const kmsKeyArn = values[ENV.ordersTableKmsKeyArn];
  return {
    tables: tablesOf(values),
    ordersTables: {
      arnPrefix,
      ...(kmsKeyArn ? { kmsKeyArn } : {}),
      deletionProtection: values[ENV.ordersTableDeletionProtection],
    },
    maxWaitSeconds: values[ENV.provisioningMaxWaitSeconds],
    controlBusName: values[ENV.controlBusName],
  };
};
