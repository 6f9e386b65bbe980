import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { newUserId } from '../../test/support/answers';
import { testDocumentClient } from '../../test/support/deps';
import { createConnectionsTable } from './connections-table';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => ddb.reset());

describe('connections table', () => {
  it("lists a user's connections through the user index, page by page", async () => {
    // Prepare
    const userId = newUserId();
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ connectionId: 'a=', tenantId: 'tenant-a', userId }],
        LastEvaluatedKey: { k: 1 },
      })
      .resolvesOnce({ Items: [{ connectionId: 'b=', tenantId: 'tenant-a', userId }] });

    // Act
    const connections = await createConnectionsTable(testDocumentClient(), () => 'connections').listByUser(
      userId,
    );

    // Assess
    expect(connections).toEqual([
      { connectionId: 'a=', tenantId: 'tenant-a' },
      { connectionId: 'b=', tenantId: 'tenant-a' },
    ]);
    const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toEqual({
      TableName: 'connections',
      IndexName: 'user-index',
      KeyConditionExpression: 'userId = :userId',
      ExpressionAttributeValues: { ':userId': userId },
    });
    expect(inputs[1]?.ExclusiveStartKey).toEqual({ k: 1 });
  });
});
