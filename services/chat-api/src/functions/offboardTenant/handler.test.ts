import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { OutgoingEvent } from '@tenant-assistant/contracts/events';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import { eventBridgeEvent, lambdaContext } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createTenantData } from '../../adapters/tenant-data';
import { createTenantStandings } from '../../adapters/tenant-standings';
import { createHandler } from './handler';

const documentsMock = mockClient(DynamoDBDocumentClient);
const managementMock = mockClient(ApiGatewayManagementApiClient);
const tables = {
  answers: 'answers',
  conversations: 'conversations',
  connections: 'connections',
  rateLimits: 'limits',
  usage: 'usage',
};
const userA = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
let published: OutgoingEvent[] = [];

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const handler = createHandler({
  standings: createTenantStandings(documentClient, () => 'tenants'),
  tenantData: createTenantData(
    documentClient,
    () => new ApiGatewayManagementApiClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }),
    () => tables,
  ),
  publishControl: async (events) => {
    published.push(...events);
  },
  logger: createLogger({ serviceName: 'chat-api-test', logLevel: 'SILENT' }),
  settle: async () => {},
});

const offboarded = (source = 'tenant-assistant.auth') =>
  eventBridgeEvent({ detailType: 'TenantOffboarded', source, detail: { tenantId: 'acme' } }) as never;

const deletedKeys = (table: string) =>
  documentsMock
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => call.args[0].input.RequestItems?.[table] ?? [])
    .map((request) => request.DeleteRequest?.Key);

beforeEach(() => {
  documentsMock.reset();
  managementMock.reset();
  published = [];
  documentsMock.on(BatchWriteCommand).resolves({});
  documentsMock
    .on(GetCommand, { TableName: 'tenants', Key: { tenantId: 'acme' } })
    .resolves({ Item: { tenantId: 'acme', tier: 'basic', status: 'OFFBOARDING' } });
  documentsMock.on(ScanCommand, { TableName: 'answers' }).resolves({
    Items: [{ userId: userA, answerId: `${userA}.01` }],
  });
  documentsMock.on(ScanCommand, { TableName: 'conversations' }).resolves({
    Items: [{ userId: userA, conversationId: 'c1' }],
  });
  documentsMock.on(ScanCommand, { TableName: 'connections' }).resolves({
    Items: [{ connectionId: 'open1' }, { connectionId: 'gone1' }],
  });
  documentsMock.on(ScanCommand, { TableName: 'limits' }).resolves({
    Items: [
      { pk: 'inflight#acme' },
      { pk: 'prompts#tenant#acme#60' },
      { pk: `prompts#user#${userA}#60` },
      { pk: 'inflight#acme-corp' },
      { pk: 'prompts#tenant#acme-corp#60' },
      { pk: 'prompts#user#someone-else#60' },
    ],
  });
  documentsMock.on(QueryCommand, { TableName: 'usage' }).resolves({
    Items: [{ tenantId: 'acme', sk: 'month#2026-01' }],
  });
  managementMock.on(DeleteConnectionCommand, { ConnectionId: 'open1' }).resolves({});
  managementMock
    .on(DeleteConnectionCommand, { ConnectionId: 'gone1' })
    .rejects(Object.assign(new Error('gone'), { name: 'GoneException', $metadata: { httpStatusCode: 410 } }));
});

describe('offboardTenant', () => {
  it('deletes the tenant’s items of every table, closes its sockets and reports the counts', async () => {
    // Act
    const result = await handler(offboarded(), lambdaContext());

    // Assess
    const deleted = {
      answers: 1,
      conversations: 1,
      connections: 2,
      connectionsClosed: 1,
      rateLimits: 3,
      usage: 1,
    };
    expect(result).toEqual({ tenantId: 'acme', deleted });
    expect(published).toEqual([
      { detailType: 'TenantChatDataDeleted', detail: { tenantId: 'acme', deleted } },
    ]);
    for (const table of ['answers', 'conversations', 'connections']) {
      const scan = documentsMock.commandCalls(ScanCommand, { TableName: table })[0]?.args[0].input;
      expect(scan).toMatchObject({
        FilterExpression: 'tenantId = :tenantId',
        ExpressionAttributeValues: { ':tenantId': 'acme' },
      });
    }
    expect(deletedKeys('limits')).toEqual([
      { pk: 'inflight#acme' },
      { pk: 'prompts#tenant#acme#60' },
      { pk: `prompts#user#${userA}#60` },
    ]);
    expect(deletedKeys('usage')).toEqual([{ tenantId: 'acme', sk: 'month#2026-01' }]);
    expect(managementMock.commandCalls(DeleteConnectionCommand)).toHaveLength(2);
  });

  it('reports zeros on a repeat, when nothing of the tenant is left', async () => {
    // Prepare
    documentsMock.on(ScanCommand).resolves({ Items: [] });
    documentsMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    const result = await handler(offboarded(), lambdaContext());

    // Assess
    expect(result.deleted).toEqual({
      answers: 0,
      conversations: 0,
      connections: 0,
      connectionsClosed: 0,
      rateLimits: 0,
      usage: 0,
    });
    expect(documentsMock.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(published).toHaveLength(1);
  });

  it('retries unprocessed deletes and fails (no report) when they never go through', async () => {
    // Prepare
    documentsMock.on(BatchWriteCommand).resolves({
      UnprocessedItems: {
        answers: [{ DeleteRequest: { Key: { userId: userA, answerId: `${userA}.01` } } }],
      },
    });

    // Act
    const failed = handler(offboarded(), lambdaContext());

    // Assess
    await expect(failed).rejects.toThrow(/unprocessed keys remain/);
    expect(published).toHaveLength(0);
  });

  it('reads the tenant’s status strongly consistent before deleting anything', async () => {
    // Act
    await handler(offboarded(), lambdaContext());

    // Assess
    const [first] = documentsMock.calls();
    expect(first?.args[0]).toBeInstanceOf(GetCommand);
    expect(first?.args[0].input).toMatchObject({ TableName: 'tenants', ConsistentRead: true });
  });

  it('deletes again after the tombstone (a repeat reports zeros)', async () => {
    // Prepare
    documentsMock
      .on(GetCommand, { TableName: 'tenants' })
      .resolves({ Item: { tenantId: 'acme', status: 'OFFBOARDED' } });

    // Act
    const result = await handler(offboarded(), lambdaContext());

    // Assess
    expect(result.tenantId).toBe('acme');
    expect(published).toHaveLength(1);
  });

  it.each([
    ['an active tenant', { tenantId: 'acme', tier: 'basic', status: 'ACTIVE' }, /status: ACTIVE/],
    ['a suspended tenant', { tenantId: 'acme', tier: 'basic', status: 'SUSPENDED' }, /status: SUSPENDED/],
    ['a tenant the registry does not know', undefined, /status: none/],
  ])('refuses a TenantOffboarded for %s, deleting and reporting nothing', async (_, item, reason) => {
    // Prepare
    documentsMock.on(GetCommand, { TableName: 'tenants' }).resolves({ Item: item });

    // Act
    const refused = handler(offboarded(), lambdaContext());

    // Assess
    await expect(refused).rejects.toMatchObject({
      code: 'TENANT_NOT_OFFBOARDING',
      message: expect.stringMatching(reason),
    });
    expect(documentsMock.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetCommand']);
    expect(managementMock.calls()).toHaveLength(0);
    expect(published).toHaveLength(0);
  });

  it('refuses a TenantOffboarded that does not come from auth, deleting nothing', async () => {
    // Act
    const forged = handler(offboarded('tenant-assistant.chat-api'), lambdaContext());

    // Assess
    await expect(forged).rejects.toThrow(/must come from tenant-assistant.auth/);
    expect(documentsMock.calls()).toHaveLength(0);
  });
});
