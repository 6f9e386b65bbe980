import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { lambdaContext, webSocketDisconnectEvent } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger, testDocumentClient } from '../../../test/support/deps';
import { createConnectionsTable } from '../../adapters/connections-table';
import { createHandler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  ddb.on(DeleteCommand).resolves({});
});

describe('wsDisconnect handler', () => {
  it('forgets the closed connection', async () => {
    // Prepare
    const handler = createHandler({
      logger: silentLogger(),
      connections: createConnectionsTable(testDocumentClient(), () => 'connections'),
    });

    // Act
    const result = await handler(webSocketDisconnectEvent({ connectionId: 'conn-9=' }), lambdaContext());

    // Assess
    expect(result).toEqual({ statusCode: 200, body: '' });
    expect(ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'connections', Key: { connectionId: 'conn-9=' } },
    ]);
  });
});
