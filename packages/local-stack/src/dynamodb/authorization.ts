/**
 * Turns one DynamoDB JSON request into the IAM checks AWS makes for it: action, resource ARN and the
 * `dynamodb:LeadingKeys` condition key (the partition-key values the request touches).
 *
 * Whenever the leading keys of a request cannot be determined with certainty, the request is refused
 * (fail closed): `ForAllValues:StringEquals` is true for an absent key, so guessing "none" would allow it.
 */

import { isJsonObject } from '../common/server';
import { indexPartitionKey, keyValueOf, queryLeadingKeys } from './leading-keys';
import {
  type AccessCheck,
  DynamoDbRequestFault,
  type TableKeySchema,
  type TableSchemaLookup,
} from './request-fault';

export { partitionKeyValuesFromExpression } from './leading-keys';
export {
  type AccessCheck,
  type DynamoDbFaultType,
  DynamoDbRequestFault,
  type TableKeySchema,
  type TableSchemaLookup,
} from './request-fault';

type Json = Record<string, unknown>;

export interface AccessCheckContext {
  region: string;
  accountId: string;
  schemaOf: TableSchemaLookup;
}

const isRecord = isJsonObject;

/** Operations whose resource is `*` (no table). */
const ACCOUNT_LEVEL = new Set([
  'ListTables',
  'DescribeLimits',
  'DescribeEndpoints',
  'ListBackups',
  'ListGlobalTables',
  'ListExports',
  'ListImports',
  'ListContributorInsights',
]);

/** PartiQL: the statement would have to be parsed to know table and keys; not modelled. */
const PARTIQL = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

export const KNOWN_OPERATIONS = new Set([
  'BatchExecuteStatement',
  'BatchGetItem',
  'BatchWriteItem',
  'CreateBackup',
  'CreateGlobalTable',
  'CreateTable',
  'DeleteBackup',
  'DeleteItem',
  'DeleteResourcePolicy',
  'DeleteTable',
  'DescribeBackup',
  'DescribeContinuousBackups',
  'DescribeContributorInsights',
  'DescribeEndpoints',
  'DescribeExport',
  'DescribeGlobalTable',
  'DescribeGlobalTableSettings',
  'DescribeImport',
  'DescribeKinesisStreamingDestination',
  'DescribeLimits',
  'DescribeTable',
  'DescribeTableReplicaAutoScaling',
  'DescribeTimeToLive',
  'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'ExecuteStatement',
  'ExecuteTransaction',
  'ExportTableToPointInTime',
  'GetItem',
  'GetResourcePolicy',
  'ImportTable',
  'ListBackups',
  'ListContributorInsights',
  'ListExports',
  'ListGlobalTables',
  'ListImports',
  'ListTables',
  'ListTagsOfResource',
  'PutItem',
  'PutResourcePolicy',
  'Query',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'Scan',
  'TagResource',
  'TransactGetItems',
  'TransactWriteItems',
  'UntagResource',
  'UpdateContinuousBackups',
  'UpdateContributorInsights',
  'UpdateGlobalTable',
  'UpdateGlobalTableSettings',
  'UpdateItem',
  'UpdateKinesisStreamingDestination',
  'UpdateTable',
  'UpdateTableReplicaAutoScaling',
  'UpdateTimeToLive',
]);

export const isPartiQl = (operation: string) => PARTIQL.has(operation);

/** `TableName` may be a name or (since 2024) a table ARN. */
export const tableNameFrom = (nameOrArn: string): string => {
  const match = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(nameOrArn);
  return match ? (match[1] as string) : nameOrArn;
};

const tableArn = (nameOrArn: string, ctx: AccessCheckContext): string =>
  nameOrArn.startsWith('arn:')
    ? nameOrArn
    : `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${nameOrArn}`;

const requireString = (body: Json, field: string): string => {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new DynamoDbRequestFault(
      'ValidationException',
      `1 validation error detected: Value null at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

const schemaFor = async (nameOrArn: string, ctx: AccessCheckContext): Promise<TableKeySchema> => {
  const schema = await ctx.schemaOf(tableNameFrom(nameOrArn));
  if (!schema) {
    throw new DynamoDbRequestFault('ResourceNotFoundException', 'Requested resource not found');
  }
  return schema;
};

/** The IAM checks a request needs; throws DynamoDbRequestFault for requests DynamoDB would reject. */
export const accessChecksFor = async (
  operation: string,
  body: Json,
  ctx: AccessCheckContext,
): Promise<AccessCheck[]> => {
  const action = `dynamodb:${operation}`;
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
    case 'PutItem': {
      const table = requireString(body, 'TableName');
      const schema = await schemaFor(table, ctx);
      const key = keyValueOf(operation === 'PutItem' ? body.Item : body.Key, schema);
      return [{ action, resourceArn: tableArn(table, ctx), leadingKeys: [key] }];
    }
    case 'Query': {
      const table = requireString(body, 'TableName');
      const schema = await schemaFor(table, ctx);
      const indexName = typeof body.IndexName === 'string' ? body.IndexName : undefined;
      const partitionKey = indexName ? indexPartitionKey(schema, indexName) : schema.partitionKey;
      const resourceArn = indexName ? `${tableArn(table, ctx)}/index/${indexName}` : tableArn(table, ctx);
      return [{ action, resourceArn, leadingKeys: queryLeadingKeys(body, partitionKey) }];
    }
    case 'Scan': {
      const table = requireString(body, 'TableName');
      const indexName = typeof body.IndexName === 'string' ? body.IndexName : undefined;
      const resourceArn = indexName ? `${tableArn(table, ctx)}/index/${indexName}` : tableArn(table, ctx);
      return [{ action, resourceArn }];
    }
    case 'BatchGetItem':
    case 'BatchWriteItem': {
      if (!isRecord(body.RequestItems) || Object.keys(body.RequestItems).length === 0) {
        throw new DynamoDbRequestFault('ValidationException', 'The requestItems parameter is required');
      }
      const checks: AccessCheck[] = [];
      for (const [table, request] of Object.entries(body.RequestItems)) {
        const schema = await schemaFor(table, ctx);
        const items =
          operation === 'BatchGetItem'
            ? isRecord(request) && Array.isArray(request.Keys)
              ? request.Keys
              : []
            : (Array.isArray(request) ? request : []).map((write: unknown) => {
                if (!isRecord(write)) return undefined;
                if (isRecord(write.PutRequest)) return write.PutRequest.Item;
                if (isRecord(write.DeleteRequest)) return write.DeleteRequest.Key;
                return undefined;
              });
        if (items.length === 0) {
          throw new DynamoDbRequestFault(
            'ValidationException',
            `The request for table ${table} has no items`,
          );
        }
        checks.push({
          action,
          resourceArn: tableArn(table, ctx),
          leadingKeys: items.map((item: unknown) => keyValueOf(item, schema)),
        });
      }
      return checks;
    }
    case 'TransactGetItems':
    case 'TransactWriteItems': {
      if (!Array.isArray(body.TransactItems) || body.TransactItems.length === 0) {
        throw new DynamoDbRequestFault('ValidationException', 'The transactItems parameter is required');
      }
      const members: Record<string, [string, string]> =
        operation === 'TransactGetItems'
          ? { Get: ['dynamodb:GetItem', 'Key'] }
          : {
              Put: ['dynamodb:PutItem', 'Item'],
              Update: ['dynamodb:UpdateItem', 'Key'],
              Delete: ['dynamodb:DeleteItem', 'Key'],
              ConditionCheck: ['dynamodb:ConditionCheckItem', 'Key'],
            };
      const checks: AccessCheck[] = [];
      for (const entry of body.TransactItems as unknown[]) {
        const kind = isRecord(entry) ? Object.keys(entry).find((k) => k in members) : undefined;
        const member = kind && isRecord(entry) ? entry[kind] : undefined;
        if (!kind || !isRecord(member) || Object.keys(entry as Json).length !== 1) {
          throw new DynamoDbRequestFault(
            'ValidationException',
            `TransactItems can only contain one of ${Object.keys(members).join(', ')}`,
          );
        }
        const [itemAction, keyField] = members[kind] as [string, string];
        const table = requireString(member, 'TableName');
        const schema = await schemaFor(table, ctx);
        checks.push({
          action: itemAction,
          resourceArn: tableArn(table, ctx),
          leadingKeys: [keyValueOf(member[keyField], schema)],
        });
      }
      return checks;
    }
    case 'CreateTable': {
      // Tags given at creation need dynamodb:TagResource too, as in AWS.
      const resourceArn = tableArn(requireString(body, 'TableName'), ctx);
      const tagged = Array.isArray(body.Tags) && body.Tags.length > 0;
      return [{ action, resourceArn }, ...(tagged ? [{ action: 'dynamodb:TagResource', resourceArn }] : [])];
    }
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsOfResource':
    case 'GetResourcePolicy':
    case 'PutResourcePolicy':
    case 'DeleteResourcePolicy':
      return [{ action, resourceArn: requireString(body, 'ResourceArn') }];
    default: {
      if (ACCOUNT_LEVEL.has(operation)) return [{ action, resourceArn: '*' }];
      const table = typeof body.TableName === 'string' ? body.TableName : undefined;
      if (table) return [{ action, resourceArn: tableArn(table, ctx) }];
      const backup = typeof body.BackupArn === 'string' ? body.BackupArn : undefined;
      if (backup) return [{ action, resourceArn: backup }];
      return [{ action, resourceArn: '*' }];
    }
  }
};
