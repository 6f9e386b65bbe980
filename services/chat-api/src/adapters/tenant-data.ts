import {
  type ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { TenantDataDeletionError } from '../errors';
import { limitKeys } from './rate-limit-table';
import { isGone } from './websocket-pusher';

/** The tables that hold a tenant's data in this service. */
export interface TenantDataTables {
  answers: string;
  conversations: string;
  connections: string;
  rateLimits: string;
  usage: string;
}

/**
 * The port of offboarding: finds and deletes every item of one tenant in this service's tables.
 * Where the key is not the tenant (answers, conversations, connections, rate limits) it scans the
 * whole table with a filter — a full read of the table per offboarding, paid once per tenant.
 */
export interface TenantData {
  /** Deletes the tenant's items of one table; the keys of the items deleted. */
  deleteAnswers(tenantId: string): Promise<Record<string, unknown>[]>;
  deleteConversations(tenantId: string): Promise<Record<string, unknown>[]>;
  /** Deletes the tenant's connection items; their ids (to close). */
  deleteConnections(tenantId: string): Promise<string[]>;
  /** Deletes the tenant's counters and those of its users (`userIds`). */
  deleteRateLimits(tenantId: string, userIds: ReadonlySet<string>): Promise<number>;
  deleteUsage(tenantId: string): Promise<number>;
  /** Closes a WebSocket connection; false when it was already gone. */
  closeConnection(connectionId: string): Promise<boolean>;
}

type Key = Record<string, unknown>;

const BATCH = 25;

/**
 * The {@link TenantData} over DynamoDB (BatchWriteItem deletes, 25 keys a call, unprocessed keys
 * retried) and the WebSocket management API.
 */
export const createTenantData = (
  documents: DynamoDBDocumentClient,
  managementApi: () => ApiGatewayManagementApiClient,
  tables: () => TenantDataTables,
): TenantData => {
  const attempt = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new TenantDataDeletionError(operation, error);
    }
  };

  const deleteKeys = async (table: string, keys: Key[]) => {
    for (let start = 0; start < keys.length; start += BATCH) {
      let requests = keys.slice(start, start + BATCH).map((Key) => ({ DeleteRequest: { Key } }));
      for (let round = 0; requests.length > 0; round += 1) {
        if (round >= 8)
          throw new TenantDataDeletionError('BatchWriteItem', new Error('unprocessed keys remain'));
        const output = await attempt('BatchWriteItem', () =>
          documents.send(new BatchWriteCommand({ RequestItems: { [table]: requests } })),
        );
        requests = (output.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };

  /** Every item of a paginated read: `read` is asked for each page, from where the last one ended. */
  const allPages = async (
    operation: string,
    read: (start: Key | undefined) => Promise<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Key }>,
  ) => {
    const items: Key[] = [];
    let start: Key | undefined;
    do {
      const page = await attempt(operation, () => read(start));
      items.push(...((page.Items ?? []) as Key[]));
      start = page.LastEvaluatedKey as Key | undefined;
    } while (start);
    return items;
  };

  /** Every item of `table` the filter selects, projected to `attributes` (a paginated Scan). */
  const scan = (table: string, attributes: string[], filter?: { expression: string; tenantId: string }) =>
    allPages('Scan', (start) =>
      documents.send(
        new ScanCommand({
          TableName: table,
          ProjectionExpression: attributes.map((_, index) => `#a${index}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name])),
          ...(filter
            ? {
                FilterExpression: filter.expression,
                ExpressionAttributeValues: { ':tenantId': filter.tenantId },
              }
            : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );

  const deleteByTenantAttribute = async (table: string, keyAttributes: string[], tenantId: string) => {
    const items = await scan(table, keyAttributes, { expression: 'tenantId = :tenantId', tenantId });
    const keys = items.map((item) => Object.fromEntries(keyAttributes.map((name) => [name, item[name]])));
    await deleteKeys(table, keys);
    return keys;
  };

  return {
    deleteAnswers: (tenantId) => deleteByTenantAttribute(tables().answers, ['userId', 'answerId'], tenantId),
    deleteConversations: (tenantId) =>
      deleteByTenantAttribute(tables().conversations, ['userId', 'conversationId'], tenantId),
    async deleteConnections(tenantId) {
      const keys = await deleteByTenantAttribute(tables().connections, ['connectionId'], tenantId);
      return keys.map((key) => String(key.connectionId));
    },
    async deleteRateLimits(tenantId, userIds) {
      const tenantPrefix = limitKeys.tenantWindow(tenantId, 0).replace(/0$/, '');
      const userPrefixes = [...userIds].map((userId) => limitKeys.userWindow(userId, 0).replace(/0$/, ''));
      const ours = (pk: string) =>
        pk === limitKeys.inFlight(tenantId) ||
        pk.startsWith(tenantPrefix) ||
        userPrefixes.some((prefix) => pk.startsWith(prefix));
      const keys = (await scan(tables().rateLimits, ['pk']))
        .filter((item) => ours(String(item.pk)))
        .map((item) => ({ pk: item.pk }));
      await deleteKeys(tables().rateLimits, keys);
      return keys.length;
    },
    async deleteUsage(tenantId) {
      const keys = await allPages('Query', (start) =>
        documents.send(
          new QueryCommand({
            TableName: tables().usage,
            KeyConditionExpression: 'tenantId = :tenantId',
            ExpressionAttributeValues: { ':tenantId': tenantId },
            ProjectionExpression: 'tenantId, sk',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      await deleteKeys(tables().usage, keys);
      return keys.length;
    },
    async closeConnection(connectionId) {
      try {
        await managementApi().send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
        return true;
      } catch (error) {
        if (isGone(error)) return false;
        throw new TenantDataDeletionError('DeleteConnection', error);
      }
    },
  };
};
