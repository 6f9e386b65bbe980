import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableKeySchema } from './authorization';

type KeyElements = { AttributeName?: string; KeyType?: string }[] | undefined;

const hashOf = (keys: KeyElements) => keys?.find((k) => k.KeyType === 'HASH')?.AttributeName;

/**
 * The partition keys of DynamoDB Local's tables (and their indexes), asked once per table. Misses and
 * failures are not cached: the table may be created a moment later.
 */
export const tableSchemaCache = (describer: DynamoDBClient) => {
  const schemas = new Map<string, Promise<TableKeySchema | undefined>>();
  const describe = async (tableName: string): Promise<TableKeySchema | undefined> => {
    try {
      const { Table } = await describer.send(new DescribeTableCommand({ TableName: tableName }));
      const partitionKey = hashOf(Table?.KeySchema);
      if (!partitionKey) return undefined;
      const indexPartitionKeys: Record<string, string> = {};
      for (const index of Table?.GlobalSecondaryIndexes ?? []) {
        const key = hashOf(index.KeySchema);
        if (index.IndexName && key) indexPartitionKeys[index.IndexName] = key;
      }
      for (const index of Table?.LocalSecondaryIndexes ?? []) {
        if (index.IndexName) indexPartitionKeys[index.IndexName] = partitionKey;
      }
      return { partitionKey, indexPartitionKeys };
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  };
  const schemaOf = (tableName: string): Promise<TableKeySchema | undefined> => {
    const cached = schemas.get(tableName);
    if (cached) return cached;
    const pending = describe(tableName);
    schemas.set(tableName, pending);
    pending.then(
      (schema) => {
        if (!schema) schemas.delete(tableName);
      },
      () => schemas.delete(tableName),
    );
    return pending;
  };
  return { schemaOf, clear: () => schemas.clear() };
};
