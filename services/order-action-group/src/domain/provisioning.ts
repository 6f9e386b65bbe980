import {
  CreateTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventDetail } from '@tenant-assistant/contracts/events';
import { ordersTableArn, TENANT_TAG_KEY } from '@tenant-assistant/tenant-context';
import type { OrdersTableSettings, TableNames } from '../config';
import { ProvisioningError } from '../errors';
import { ordersTableName } from './tenant-data';

/** The ports of {@link provisionTenant}: this service's own (provisioning) role, not tenant-scoped. */
export interface ProvisioningDeps {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  tables: TableNames;
  /** Encryption, deletion protection and the ARN of each orders table. */
  ordersTables: OrdersTableSettings;
  /** Longest to wait for the orders table to become ACTIVE, seconds. */
  maxWaitSeconds: number;
  /** Polling delays of the table waiter, seconds (tests shorten them). */
  waiterDelays?: { minDelay: number; maxDelay: number };
  /** Clock for `provisionedAt`. */
  now?: () => Date;
}

/** What provisioning did; a repeated event gives `{ tableCreated: false, configWritten: false }`. */
export interface ProvisioningOutcome {
  tenantId: string;
  ordersTableName: string;
  tableCreated: boolean;
  configWritten: boolean;
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

const ORDERS_KEY_SCHEMA = [
  { AttributeName: 'userId', KeyType: 'HASH' },
  { AttributeName: 'orderId', KeyType: 'RANGE' },
] as const;

const hasOrdersKeySchema = (output: DescribeTableCommandOutput | undefined) => {
  const keys = output?.Table?.KeySchema ?? [];
  return (
    keys.length === ORDERS_KEY_SCHEMA.length &&
    ORDERS_KEY_SCHEMA.every((expected) =>
      keys.some((key) => key.AttributeName === expected.AttributeName && key.KeyType === expected.KeyType),
    )
  );
};

/** The tags of a tenant's orders table: the tenant id (cost allocation) and the owning service. */
export const ordersTableTags = (tenantId: string) => [
  { Key: TENANT_TAG_KEY, Value: tenantId },
  { Key: 'tenant-assistant:service', Value: 'order-action-group' },
];

/**
 * Creates the orders table — tagged, encrypted with the configured KMS key (else the AWS owned key),
 * deletion-protected where configured; false when it exists already (a repeated event).
 */
const createOrdersTable = async (deps: ProvisioningDeps, tableName: string, tenantId: string) => {
  const { kmsKeyArn, deletionProtection } = deps.ordersTables;
  try {
    await deps.dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [...ORDERS_KEY_SCHEMA],
        AttributeDefinitions: [
          { AttributeName: 'userId', AttributeType: 'S' },
          { AttributeName: 'orderId', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        ...(kmsKeyArn
          ? { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: kmsKeyArn } }
          : {}),
        DeletionProtectionEnabled: deletionProtection,
        Tags: ordersTableTags(tenantId),
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === 'ResourceInUseException') return false; // exists already: a repeated event
    throw new ProvisioningError(`Could not create the orders table ${tableName}`, error);
  }
};

/** Tags an orders table that existed already (created before it was tagged, or a repeated event). */
const tagOrdersTable = async (deps: ProvisioningDeps, tableArn: string, tenantId: string) => {
  try {
    await deps.dynamodb.send(
      new TagResourceCommand({ ResourceArn: tableArn, Tags: ordersTableTags(tenantId) }),
    );
  } catch (error) {
    throw new ProvisioningError(`Could not tag the orders table ${tableArn}`, error);
  }
};

/** Turns point-in-time recovery on (idempotent: a table that has it keeps it). */
const enablePointInTimeRecovery = async (deps: ProvisioningDeps, tableName: string) => {
  try {
    await deps.dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: tableName,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
  } catch (error) {
    throw new ProvisioningError(`Could not turn on point-in-time recovery for ${tableName}`, error);
  }
};

const waitUntilActive = async (deps: ProvisioningDeps, tableName: string) => {
  let result: Awaited<ReturnType<typeof waitUntilTableExists>>;
  try {
    result = await waitUntilTableExists(
      {
        client: deps.dynamodb,
        maxWaitTime: deps.maxWaitSeconds,
        ...(deps.waiterDelays ?? { minDelay: 2, maxDelay: 10 }),
      },
      { TableName: tableName },
    );
  } catch (error) {
    throw new ProvisioningError(`The orders table ${tableName} did not become ACTIVE`, error);
  }
  if (!hasOrdersKeySchema(result.reason as DescribeTableCommandOutput | undefined)) {
    throw new ProvisioningError(`The table ${tableName} exists with another key schema`);
  }
};

const writeTenantConfig = async (
  deps: ProvisioningDeps,
  detail: EventDetail<'TenantOnboarded'>,
  tableName: string,
): Promise<boolean> => {
  try {
    await deps.documents.send(
      new PutCommand({
        TableName: deps.tables.tenantConfigTableName,
        Item: {
          tenantId: detail.tenantId,
          name: detail.name,
          returnPolicyDays: detail.returnPolicyDays,
          tier: detail.tier,
          ordersTableName: tableName,
          provisionedAt: (deps.now ?? (() => new Date()))().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(tenantId)',
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return false; // provisioned before
    throw new ProvisioningError(`Could not write the TenantConfig item of ${detail.tenantId}`, error);
  }
};

/**
 * Provisions an onboarded tenant: creates its orders table `<ordersTablePrefix><tenantId>`
 * (`userId` + `orderId`, on demand, tagged with the tenant id, encrypted, deletion-protected where
 * configured), waits until it is ACTIVE, turns point-in-time recovery on, then writes its TenantConfig
 * item — in that order, so a TenantConfig item always names a usable, backed-up table. Idempotent: an
 * existing table is reused (if its key schema is right) and tagged again, and an existing TenantConfig
 * item is never overwritten, so a repeated event changes nothing. Failures throw ProvisioningError
 * (the event is retried).
 *
 * @example await provisionTenant(deps, { tenantId: 'tenant1', name: 'Acme', returnPolicyDays: 10, tier: 'basic' });
 */
export const provisionTenant = async (
  deps: ProvisioningDeps,
  detail: EventDetail<'TenantOnboarded'>,
): Promise<ProvisioningOutcome> => {
  const tableName = ordersTableName(deps.tables, detail.tenantId);
  const tableCreated = await createOrdersTable(deps, tableName, detail.tenantId);
  await waitUntilActive(deps, tableName);
  if (!tableCreated) {
    await tagOrdersTable(deps, ordersTableArn(deps.ordersTables.arnPrefix, detail.tenantId), detail.tenantId);
  }
  await enablePointInTimeRecovery(deps, tableName);
  const configWritten = await writeTenantConfig(deps, detail, tableName);
  return { tenantId: detail.tenantId, ordersTableName: tableName, tableCreated, configWritten };
};

/**
 * Applies `TenantUpdated` to the tenant's TenantConfig item: name, return-policy days and tier are
 * overwritten with the event's values (the event carries the whole definition, so a repeated or
 * reordered-but-identical event changes nothing). A tenant not provisioned yet is an error, so the
 * event is retried until TenantOnboarded has been applied.
 *
 * @example await applyTenantUpdate(deps, { tenantId: 'tenant1', name: 'Acme', returnPolicyDays: 14, tier: 'basic' });
 */
export const applyTenantUpdate = async (
  deps: Pick<ProvisioningDeps, 'documents' | 'tables' | 'now'>,
  detail: EventDetail<'TenantUpdated'>,
): Promise<{ tenantId: string; updated: true }> => {
  try {
    await deps.documents.send(
      new UpdateCommand({
        TableName: deps.tables.tenantConfigTableName,
        Key: { tenantId: detail.tenantId },
        UpdateExpression: 'SET #name = :name, returnPolicyDays = :days, tier = :tier, updatedAt = :at',
        ConditionExpression: 'attribute_exists(tenantId)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':name': detail.name,
          ':days': detail.returnPolicyDays,
          ':tier': detail.tier,
          ':at': (deps.now ?? (() => new Date()))().toISOString(),
        },
      }),
    );
  } catch (error) {
    const reason =
      errorName(error) === 'ConditionalCheckFailedException'
        ? `Tenant ${detail.tenantId} is not provisioned yet`
        : `Could not update the TenantConfig item of ${detail.tenantId}`;
    throw new ProvisioningError(reason, error);
  }
  return { tenantId: detail.tenantId, updated: true };
};

/**
 * Applies `TenantSuspended` / `TenantResumed` to the tenant's TenantConfig item (`status`), so the
 * tenant's run-time configuration says it too (chat-api refuses a suspended tenant's prompts from
 * auth's tenant registry, the source of the status). Idempotent.
 */
export const applyTenantStatus = async (
  deps: Pick<ProvisioningDeps, 'documents' | 'tables' | 'now'>,
  tenantId: string,
  status: 'ACTIVE' | 'SUSPENDED',
): Promise<{ tenantId: string; status: 'ACTIVE' | 'SUSPENDED' }> => {
  try {
    await deps.documents.send(
      new UpdateCommand({
        TableName: deps.tables.tenantConfigTableName,
        Key: { tenantId },
        UpdateExpression: 'SET #status = :status, updatedAt = :at',
        ConditionExpression: 'attribute_exists(tenantId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':at': (deps.now ?? (() => new Date()))().toISOString(),
        },
      }),
    );
  } catch (error) {
    const reason =
      errorName(error) === 'ConditionalCheckFailedException'
        ? `Tenant ${tenantId} is not provisioned yet`
        : `Could not set the status of ${tenantId}`;
    throw new ProvisioningError(reason, error);
  }
  return { tenantId, status };
};
