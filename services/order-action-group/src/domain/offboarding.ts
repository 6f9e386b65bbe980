import {
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import type { TableNames } from '../config';
import { ProvisioningError } from '../errors';
import { ordersTableName } from './tenant-data';

/** The ports of {@link offboardTenantData}: the provisioning role's clients and the control bus. */
export interface OffboardingDeps {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
  tables: TableNames;
  /** The auth service's control bus, where the report goes. */
  controlBusName: string;
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

const deleteTenantConfig = async (deps: OffboardingDeps, tenantId: string): Promise<number> => {
  try {
    const { Attributes } = await deps.documents.send(
      new DeleteCommand({
        TableName: deps.tables.tenantConfigTableName,
        Key: { tenantId },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? 1 : 0;
  } catch (error) {
    throw new ProvisioningError(`Could not delete the TenantConfig item of ${tenantId}`, error);
  }
};

/** Deletes the orders table (deletion protection turned off first); 0 when it is already gone. */
const deleteOrdersTable = async (deps: OffboardingDeps, tableName: string): Promise<number> => {
  try {
    const { Table } = await deps.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'DELETING') return 0;
    if (Table?.DeletionProtectionEnabled) {
      await deps.dynamodb.send(
        new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: false }),
      );
    }
    await deps.dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
    return 1;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return 0;
    throw new ProvisioningError(`Could not delete the orders table ${tableName}`, error);
  }
};

/**
 * Deletes what this service holds of an offboarded tenant — its TenantConfig item first (so nothing
 * finds the table any more), then its orders table — and reports `TenantOrderDataDeleted` with the
 * counts to the control bus. Idempotent: what is already gone counts 0, and the report is sent again.
 *
 * @example await offboardTenantData(deps, 'tenant3'); // { tenantId, deleted: { tenantConfig: 1, ordersTable: 1 } }
 */
export const offboardTenantData = async (deps: OffboardingDeps, tenantId: string) => {
  const tenantConfig = await deleteTenantConfig(deps, tenantId);
  const ordersTable = await deleteOrdersTable(deps, ordersTableName(deps.tables, tenantId));
  const report = { tenantId, deleted: { tenantConfig, ordersTable } };
  await putEvents(deps.eventBridge, deps.controlBusName, [
    { detailType: 'TenantOrderDataDeleted', detail: report },
  ]);
  return report;
};
