import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantId, UserId } from '@tenant-assistant/tenant-context';
import type { ConnectionsRepository } from '../ports';

/** Global secondary index of the connections table: partition `userId` (projects `tenantId`). */
export const USER_INDEX = 'user-index';

/** Most connections one user is pushed to (browser tabs); older pages are not read. */
const MAX_CONNECTIONS_PER_USER = 100;

/**
 * The connections table (partition `connectionId`, user index) as a {@link ConnectionsRepository}.
 *
 * @example const connections = createConnectionsTable(documentClient, config.connectionsTableName);
 */
export const createConnectionsTable = (
  client: DynamoDBDocumentClient,
  tableName: () => string,
): ConnectionsRepository => ({
  async put(connection) {
    await client.send(new PutCommand({ TableName: tableName(), Item: { ...connection } }));
  },

  async delete(connectionId) {
    await client.send(new DeleteCommand({ TableName: tableName(), Key: { connectionId } }));
  },

  async listByUser(userId) {
    const connections: { connectionId: string; tenantId: TenantId }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await client.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: USER_INDEX,
          KeyConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': userId satisfies UserId },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of output.Items ?? []) {
        connections.push({ connectionId: String(item.connectionId), tenantId: item.tenantId as TenantId });
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey && connections.length < MAX_CONNECTIONS_PER_USER);
    return connections.slice(0, MAX_CONNECTIONS_PER_USER);
  },
});
