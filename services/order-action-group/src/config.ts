import { ConfigurationError } from './errors';

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

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TABLE_NAME_PREFIX = /^[A-Za-z0-9_.-]{1,190}$/;

const required = (name: string, pattern: RegExp): string => {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new ConfigurationError(`Missing environment variable ${name}`);
  if (!pattern.test(value)) throw new ConfigurationError(`Invalid environment variable ${name}`);
  return value;
};

const positiveInteger = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new ConfigurationError(`Invalid environment variable ${name}: expected a positive integer`);
  }
  return parsed;
};

/** Memoises a getter: the environment is read once, on first use (so importing never throws). */
export const once = <T>(read: () => T): (() => T) => {
  let value: { current: T } | undefined;
  return () => {
    value ??= { current: read() };
    return value.current;
  };
};

/** Table names, read from the environment; throws ConfigurationError when one is missing. */
export const readTableNames = (): TableNames => ({
  tenantConfigTableName: required(ENV.tenantConfigTableName, TABLE_NAME),
  ordersTablePrefix: required(ENV.ordersTablePrefix, TABLE_NAME_PREFIX),
});

/** Configuration of the action-group function. */
export interface ActionGroupConfig {
  tables: TableNames;
  /** Longest a DynamoDB call may take before the answer becomes a FAILURE (default 3000 ms). */
  dataTimeoutMs: number;
}

export const readActionGroupConfig = (): ActionGroupConfig => ({
  tables: readTableNames(),
  dataTimeoutMs: positiveInteger(ENV.dataTimeoutMs, 3000),
});

/** Configuration of the provisioning function. */
export interface ProvisioningConfig {
  tables: TableNames;
  /** Longest to wait for a new orders table to become ACTIVE (default 120 s). */
  maxWaitSeconds: number;
}

export const readProvisioningConfig = (): ProvisioningConfig => ({
  tables: readTableNames(),
  maxWaitSeconds: positiveInteger(ENV.provisioningMaxWaitSeconds, 120),
});
