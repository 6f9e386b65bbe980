import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_SOURCES } from '@tenant-assistant/contracts/events';
import { eventBridgeEvent, lambdaContext } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, silentLogger, tenantRecord } from '../../../test/support';
import { dynamoTenantRegistry } from '../../adapters/tenants-table';
import { createHandler } from './handler';

const documentsMock = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const handler = createHandler({
  registry: () => dynamoTenantRegistry(documents, 'tenants'),
  logger: silentLogger(),
  now: () => new Date('2026-01-03T00:00:00.000Z'),
});

const done = (deleted: Record<string, number>) => ({
  status: 'DONE',
  doneAt: '2026-01-02T00:00:00.000Z',
  deleted,
});
const offboarding = (chat: object, orders: object) => ({
  ...tenantRecord('acme'),
  status: 'OFFBOARDING',
  offboarding: {
    requestedAt: '2026-01-02T00:00:00.000Z',
    services: { auth: done({ users: 2 }), 'chat-api': chat, 'order-action-group': orders },
  },
});
const chatReport = (source: string = EVENT_SOURCES.chatApi) =>
  eventBridgeEvent({
    detailType: 'TenantChatDataDeleted',
    source,
    detail: { tenantId: 'acme', deleted: { answers: 4 } },
  });

beforeEach(() => documentsMock.reset());

describe('offboardingReports', () => {
  it('marks the reporting service DONE with its counts and keeps the tenant OFFBOARDING while others are pending', async () => {
    // Prepare
    documentsMock
      .on(UpdateCommand)
      .resolves({ Attributes: offboarding(done({ answers: 4 }), { status: 'PENDING' }) });

    // Act
    const result = await handler(chatReport() as never, lambdaContext());

    // Assess
    expect(result).toEqual({ tenantId: 'acme', status: 'OFFBOARDING' });
    const update = documentsMock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.ExpressionAttributeNames?.['#service']).toBe('chat-api');
    expect(update?.ExpressionAttributeValues?.[':step']).toMatchObject({
      status: 'DONE',
      deleted: { answers: 4 },
    });
    expect(documentsMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('replaces the item by the tombstone (id, status, record, timestamps only) when the last service reports', async () => {
    // Prepare
    documentsMock
      .on(UpdateCommand)
      .resolves({ Attributes: offboarding(done({ answers: 4 }), done({ ordersTable: 1 })) });
    documentsMock.on(PutCommand).resolves({});

    // Act
    const result = await handler(chatReport() as never, lambdaContext());

    // Assess
    expect(result).toEqual({ tenantId: 'acme', status: 'OFFBOARDED' });
    const put = documentsMock.commandCalls(PutCommand)[0]?.args[0].input;
    expect(Object.keys(put?.Item ?? {}).sort()).toEqual([
      'createdAt',
      'offboarding',
      'status',
      'tenantId',
      'updatedAt',
    ]);
    expect(put?.Item).toMatchObject({
      status: 'OFFBOARDED',
      offboarding: { completedAt: '2026-01-03T00:00:00.000Z' },
    });
    expect(put?.ConditionExpression).toBe('#status = :offboarding');
  });

  it('ignores a repeated report or one for a tenant that is not offboarding', async () => {
    // Prepare
    documentsMock.on(UpdateCommand).rejects(awsError('ConditionalCheckFailedException'));
    documentsMock.on(GetCommand).resolves({ Item: tenantRecord('acme') });

    // Act
    const result = await handler(chatReport() as never, lambdaContext());

    // Assess
    expect(result).toEqual({ tenantId: 'acme', status: 'ACTIVE' });
    expect(documentsMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a report from a source other than its producer, writing nothing', async () => {
    // Act
    const forged = handler(chatReport(EVENT_SOURCES.auth) as never, lambdaContext());

    // Assess
    await expect(forged).rejects.toThrow(/must come from tenant-assistant.chat-api/);
    expect(documentsMock.calls()).toHaveLength(0);
  });
});
