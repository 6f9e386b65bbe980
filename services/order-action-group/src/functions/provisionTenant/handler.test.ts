import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContractEventWithTenant } from '@tenant-assistant/contracts/eventbridge';
import { InvalidEventError } from '@tenant-assistant/tenant-context';
import { captureOutput, eventBridgeEvent, lambdaContext } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const detail = { tenantId: 'tenant1', name: 'Acme Outdoor', returnPolicyDays: 10, tier: 'basic' };
const onboarded = (overrides: { source?: string; detailType?: string; detail?: unknown } = {}) =>
  eventBridgeEvent({
    detailType: overrides.detailType ?? 'TenantOnboarded',
    source: overrides.source ?? 'tenant-assistant.auth',
    detail: overrides.detail ?? detail,
  }) as unknown as ContractEventWithTenant<'TenantOnboarded'>;

const dynamodbMock = mockClient(DynamoDBClient);
const documentsMock = mockClient(DynamoDBDocumentClient);
const eventBridgeMock = mockClient(EventBridgeClient);

/** Invokes the deployed handler (middlewares included) and captures its logs. */
const invoke = (event: ContractEventWithTenant<'TenantOnboarded'>) =>
  captureOutput(async () => {
    try {
      return { outcome: await handler(event, lambdaContext()), error: undefined };
    } catch (error) {
      return { outcome: undefined, error };
    }
  });

beforeAll(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.TENANT_CONFIG_TABLE_NAME = 'tenant-assistant-order-action-group-test-tenant-config';
  process.env.ORDERS_TABLE_PREFIX = 'tenant-assistant-order-action-group-test-orders-';
  process.env.ORDERS_TABLE_ARN_PREFIX =
    'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-assistant-order-action-group-test-orders-';
  process.env.CONTROL_EVENT_BUS_NAME = 'tenant-assistant-control-test';
});

beforeEach(() => {
  dynamodbMock.reset();
  documentsMock.reset();
  eventBridgeMock.reset();
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
  dynamodbMock.on(CreateTableCommand).resolves({});
  dynamodbMock.on(DescribeTableCommand).resolves({
    Table: {
      TableStatus: 'ACTIVE',
      KeySchema: [
        { AttributeName: 'userId', KeyType: 'HASH' },
        { AttributeName: 'orderId', KeyType: 'RANGE' },
      ],
    },
  });
  dynamodbMock.on(UpdateContinuousBackupsCommand).resolves({});
  documentsMock.on(PutCommand).resolves({});
});

describe('provisionTenant handler', () => {
  describe('on TenantOffboarded', () => {
    const offboarded = () => onboarded({ detailType: 'TenantOffboarded', detail: { tenantId: 'tenant1' } });
    const ordersTable = 'tenant-assistant-order-action-group-test-orders-tenant1';

    it('deletes the TenantConfig item, then the orders table (protection off first), and reports the counts', async () => {
      // Prepare
      documentsMock.on(DeleteCommand).resolves({ Attributes: { tenantId: 'tenant1' } });
      dynamodbMock
        .on(DescribeTableCommand)
        .resolves({ Table: { TableStatus: 'ACTIVE', DeletionProtectionEnabled: true } });
      dynamodbMock.on(UpdateTableCommand).resolves({});
      dynamodbMock.on(DeleteTableCommand).resolves({});

      // Act
      const { result } = await invoke(offboarded());

      // Assess
      expect(result.error).toBeUndefined();
      expect(result.outcome).toEqual({ tenantId: 'tenant1', deleted: { tenantConfig: 1, ordersTable: 1 } });
      expect(documentsMock.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual({
        tenantId: 'tenant1',
      });
      expect(dynamodbMock.commandCalls(UpdateTableCommand)[0]?.args[0].input).toEqual({
        TableName: ordersTable,
        DeletionProtectionEnabled: false,
      });
      expect(dynamodbMock.commandCalls(DeleteTableCommand)[0]?.args[0].input).toEqual({
        TableName: ordersTable,
      });
      expect(eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries).toEqual([
        {
          EventBusName: 'tenant-assistant-control-test',
          Source: 'tenant-assistant.order-action-group',
          DetailType: 'TenantOrderDataDeleted',
          Detail: JSON.stringify({ tenantId: 'tenant1', deleted: { tenantConfig: 1, ordersTable: 1 } }),
        },
      ]);
    });

    it('counts what is already gone as 0 and reports again (a repeat)', async () => {
      // Prepare
      documentsMock.on(DeleteCommand).resolves({});
      dynamodbMock
        .on(DescribeTableCommand)
        .rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));

      // Act
      const { result } = await invoke(offboarded());

      // Assess
      expect(result.outcome).toEqual({ tenantId: 'tenant1', deleted: { tenantConfig: 0, ordersTable: 0 } });
      expect(dynamodbMock.commandCalls(DeleteTableCommand)).toHaveLength(0);
      expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    });

    it('fails without a report when the table cannot be deleted, so the event is retried', async () => {
      // Prepare
      documentsMock.on(DeleteCommand).resolves({});
      dynamodbMock.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
      dynamodbMock
        .on(DeleteTableCommand)
        .rejects(Object.assign(new Error('busy'), { name: 'ResourceInUseException' }));

      // Act
      const { result } = await invoke(offboarded());

      // Assess
      expect(result.error).toBeDefined();
      expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    });
  });

  it('applies TenantUpdated to the TenantConfig item of an existing tenant only', async () => {
    documentsMock.on(UpdateCommand).resolves({});
    const updated = { ...detail, returnPolicyDays: 14, tier: 'premium' };

    const { result } = await invoke(onboarded({ detailType: 'TenantUpdated', detail: updated }));

    expect(result.error).toBeUndefined();
    expect(result.outcome).toEqual({ tenantId: 'tenant1', updated: true });
    expect(documentsMock.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { tenantId: 'tenant1' },
      ConditionExpression: 'attribute_exists(tenantId)',
      ExpressionAttributeValues: { ':name': 'Acme Outdoor', ':days': 14, ':tier': 'premium' },
    });
    expect(dynamodbMock.commandCalls(CreateTableCommand)).toHaveLength(0);
  });

  it.each([
    ['TenantSuspended', 'SUSPENDED'],
    ['TenantResumed', 'ACTIVE'],
  ])('applies %s to the status of the TenantConfig item', async (detailType, status) => {
    documentsMock.on(UpdateCommand).resolves({});

    const { result } = await invoke(onboarded({ detailType, detail: { tenantId: 'tenant1' } }));

    expect(result.outcome).toEqual({ tenantId: 'tenant1', status });
    expect(documentsMock.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { tenantId: 'tenant1' },
      ExpressionAttributeValues: { ':status': status },
    });
  });

  it('fails a TenantUpdated for a tenant not provisioned yet (the event is retried)', async () => {
    documentsMock
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));

    const { result } = await invoke(onboarded({ detailType: 'TenantUpdated' }));

    expect((result.error as Error).message).toBe('Tenant tenant1 is not provisioned yet');
  });

  it('provisions the tenant named by a TenantOnboarded event from the auth service', async () => {
    // Act
    const { result, output } = await invoke(onboarded());

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.outcome).toEqual({
      tenantId: 'tenant1',
      ordersTableName: 'tenant-assistant-order-action-group-test-orders-tenant1',
      tableCreated: true,
      configWritten: true,
    });
    expect(dynamodbMock.commandCalls(CreateTableCommand)[0]?.args[0].input.TableName).toBe(
      'tenant-assistant-order-action-group-test-orders-tenant1',
    );
    expect(documentsMock.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'tenant-assistant-order-action-group-test-tenant-config',
      Item: { tenantId: 'tenant1', returnPolicyDays: 10, tier: 'basic' },
    });
    expect(output).toContain('"message":"Tenant provisioned"');
    expect(output).toContain('"tenant_id":"tenant1"');
  });

  it.each([
    ['from another source', { source: 'tenant-assistant.chat-api' }],
    ['of another detail-type', { detailType: 'PromptSubmitted' }],
    ['with a wildcard tenant id', { detail: { ...detail, tenantId: '*' } }],
    ['with an unknown tier', { detail: { ...detail, tier: 'gold' } }],
    ['with a negative return policy', { detail: { ...detail, returnPolicyDays: -1 } }],
  ])('refuses an event %s without touching DynamoDB, so it ends in the dead-letter queue', async (_c, o) => {
    // Act
    const { result, output } = await invoke(onboarded(o));

    // Assess
    expect(result.error).toBeInstanceOf(InvalidEventError);
    expect(dynamodbMock.calls()).toHaveLength(0);
    expect(documentsMock.calls()).toHaveLength(0);
    expect(output).toContain('"message":"Tenant provisioning refused"');
    expect(output).toContain('"error_code":"INVALID_EVENT"');
  });

  it('fails, so that Lambda retries it, when DynamoDB fails', async () => {
    // Prepare
    dynamodbMock
      .on(CreateTableCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'LimitExceededException' }));

    // Act
    const { result, output } = await invoke(onboarded());

    // Assess
    expect(result.error).toMatchObject({ name: 'ProvisioningError', code: 'PROVISIONING_FAILED' });
    expect(output).toContain('"error_code":"PROVISIONING_FAILED"');
  });
});
