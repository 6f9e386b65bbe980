import { env, readEnv } from '@tenant-assistant/lambda-kit/config';
import * as z from 'zod';

export { once } from '@tenant-assistant/lambda-kit/config';

/** Names of the environment variables this service reads (set in serverless.yml). */
export const ENV = {
  tenantConfigTableName: 'TENANT_CONFIG_TABLE_NAME',
  ordersTablePrefix: 'ORDERS_TABLE_PREFIX',
  dataTimeoutMs: 'DATA_TIMEOUT_MS',
  provisioningMaxWaitSeconds: 'PROVISIONING_MAX_WAIT_SECONDS',
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

/** Configuration of the provisioning function. */
export interface ProvisioningConfig {
  tables: TableNames;
  /** Longest to wait for a new orders table to become ACTIVE (default 120 s). */
  maxWaitSeconds: number;
}

export const readProvisioningConfig = (): ProvisioningConfig => {
  const values = readEnv(
    z.object({ ...tableEnv, [ENV.provisioningMaxWaitSeconds]: env.optional(env.positiveInteger(), 120) }),
  );
  return { tables: tablesOf(values), maxWaitSeconds: values[ENV.provisioningMaxWaitSeconds] };
};
