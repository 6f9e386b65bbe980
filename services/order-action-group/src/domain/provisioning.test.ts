import {
  CreateTableCommand,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  DynamoDBClient,
  type KeySchemaElement,
  type TableStatus,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EventDetail } from '@tenant-assistant/contracts/events';
import { mockClient } from 'aws-sdk-client-mock';
import { ProvisioningError } from '../errors';
import { type ProvisioningDeps, provisionTenant } from './provisioning';

const tables = { tenantConfigTableName: 'svc-test-tenant-config', ordersTablePrefix: 'svc-test-orders-' };
const detail = {
  tenantId: 'tenant1',
  name: 'Acme Outdoor',
  returnPolicyDays: 10,
  tier: 'basic',
} as EventDetail<'TenantOnboarded'>;
const ordersKeySchema: KeySchemaElement[] = [
  { AttributeName: 'userId', KeyType: 'HASH' },
  { AttributeName: 'orderId', KeyType: 'RANGE' },
];
const table = (status: TableStatus, keySchema = ordersKeySchema): DescribeTableCommandOutput => ({
  $metadata: {},
  Table: { TableName: 'svc-test-orders-tenant1', TableStatus: status, KeySchema: keySchema },
});
const awsError = (name: string) => Object.assign(new Error(`${name} from DynamoDB`), { name });

const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
const documents = DynamoDBDocumentClient.from(dynamodb);
const dynamodbMock = mockClient(dynamodb);
const documentsMock = mockClient(documents);
const deps: ProvisioningDeps = {
  dynamodb,
  documents,
  tables,
  ordersTables: {
    arnPrefix: 'arn:aws:dynamodb:us-east-1:123456789012:table/svc-test-orders-',
    deletionProtection: true,
  },
  maxWaitSeconds: 2,
  waiterDelays: { minDelay: 0.01, maxDelay: 0.02 },
  now: () => new Date('2025-01-01T00:00:00.000Z'),
};

beforeEach(() => {
  dynamodbMock.reset();
  documentsMock.reset();
  dynamodbMock.on(CreateTableCommand).resolves({});
  dynamodbMock.on(DescribeTableCommand).resolves(table('ACTIVE'));
  dynamodbMock.on(TagResourceCommand).resolves({});
  dynamodbMock.on(UpdateContinuousBackupsCommand).resolves({});
  documentsMock.on(PutCommand).resolves({});
});

const tenantTags = [
  { Key: 'tenant-assistant:tenantId', Value: 'tenant1' },
  { Key: 'tenant-assistant:service', Value: 'order-action-group' },
];

describe('provisionTenant', () => {
  it("creates the tenant's orders table (tagged, deletion-protected, AWS owned key), waits for it, turns PITR on, then writes the TenantConfig item", async () => {
    // Act
    const outcome = await provisionTenant(deps, detail);

    // Assess
    expect(outcome).toEqual({
      tenantId: 'tenant1',
      ordersTableName: 'svc-test-orders-tenant1',
      tableCreated: true,
      configWritten: true,
    });
    expect(dynamodbMock.commandCalls(CreateTableCommand)[0]?.args[0].input).toEqual({
      TableName: 'svc-test-orders-tenant1',
      KeySchema: [
        { AttributeName: 'userId', KeyType: 'HASH' },
        { AttributeName: 'orderId', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'userId', AttributeType: 'S' },
        { AttributeName: 'orderId', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      Tags: tenantTags,
    });
    expect(dynamodbMock.commandCalls(UpdateContinuousBackupsCommand)[0]?.args[0].input).toEqual({
      TableName: 'svc-test-orders-tenant1',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(dynamodbMock.commandCalls(TagResourceCommand)).toHaveLength(0);
    expect(documentsMock.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: tables.tenantConfigTableName,
      Item: {
        tenantId: 'tenant1',
        name: 'Acme Outdoor',
        returnPolicyDays: 10,
        tier: 'basic',
        ordersTableName: 'svc-test-orders-tenant1',
        provisionedAt: '2025-01-01T00:00:00.000Z',
      },
      ConditionExpression: 'attribute_not_exists(tenantId)',
    });
  });

  it('encrypts the table with the configured customer managed KMS key', async () => {
    // Prepare
    const kmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    // Act
    await provisionTenant({ ...deps, ordersTables: { ...deps.ordersTables, kmsKeyArn } }, detail);

    // Assess
    expect(dynamodbMock.commandCalls(CreateTableCommand)[0]?.args[0].input.SSESpecification).toEqual({
      Enabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: kmsKeyArn,
    });
  });

  it('creates the table without deletion protection where the stage does not keep its data', async () => {
    // Act
    await provisionTenant(
      { ...deps, ordersTables: { ...deps.ordersTables, deletionProtection: false } },
      detail,
    );

    // Assess
    const input = dynamodbMock.commandCalls(CreateTableCommand)[0]?.args[0].input;
    expect(input?.DeletionProtectionEnabled).toBe(false);
    expect(input?.SSESpecification).toBeUndefined();
  });

  it('tags an existing table again and keeps PITR on for a repeated event', async () => {
    // Prepare
    dynamodbMock.on(CreateTableCommand).rejects(awsError('ResourceInUseException'));

    // Act
    await provisionTenant(deps, detail);

    // Assess
    expect(dynamodbMock.commandCalls(TagResourceCommand)[0]?.args[0].input).toEqual({
      ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/svc-test-orders-tenant1',
      Tags: tenantTags,
    });
    expect(dynamodbMock.commandCalls(UpdateContinuousBackupsCommand)).toHaveLength(1);
  });

  it.each([
    ['tagging', TagResourceCommand, 'Could not tag the orders table'],
    ['turning PITR on', UpdateContinuousBackupsCommand, 'Could not turn on point-in-time recovery'],
  ] as const)('fails before writing the TenantConfig item when %s fails', async (_, command, message) => {
    // Prepare
    dynamodbMock.on(CreateTableCommand).rejects(awsError('ResourceInUseException'));
    const cause = awsError('AccessDeniedException');
    dynamodbMock.on(command as typeof TagResourceCommand).rejects(cause);

    // Act
    const provisioning = provisionTenant(deps, detail);

    // Assess
    await expect(provisioning).rejects.toThrow(message);
    await expect(provisioning).rejects.toMatchObject({ cause });
    expect(documentsMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('waits while the new table is CREATING', async () => {
    // Prepare
    dynamodbMock
      .on(DescribeTableCommand)
      .resolvesOnce(table('CREATING'))
      .resolvesOnce(table('CREATING'))
      .resolves(table('ACTIVE'));

    // Act
    await provisionTenant(deps, detail);

    // Assess
    expect(dynamodbMock.commandCalls(DescribeTableCommand)).toHaveLength(3);
    expect(documentsMock.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('changes nothing for a repeated event: the table exists and the item is kept', async () => {
    // Prepare
    dynamodbMock.on(CreateTableCommand).rejects(awsError('ResourceInUseException'));
    documentsMock.on(PutCommand).rejects(awsError('ConditionalCheckFailedException'));

    // Act
    const outcome = await provisionTenant(deps, { ...detail, returnPolicyDays: 99 });

    // Assess
    expect(outcome).toMatchObject({ tableCreated: false, configWritten: false });
  });

  it('does not write the TenantConfig item when the table never becomes ACTIVE', async () => {
    // Prepare
    dynamodbMock.on(DescribeTableCommand).resolves(table('CREATING'));

    // Act
    const provisioning = provisionTenant({ ...deps, maxWaitSeconds: 0.2 }, detail);

    // Assess
    await expect(provisioning).rejects.toThrow(ProvisioningError);
    expect(documentsMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses an existing table with another key schema', async () => {
    // Prepare
    dynamodbMock.on(CreateTableCommand).rejects(awsError('ResourceInUseException'));
    dynamodbMock
      .on(DescribeTableCommand)
      .resolves(table('ACTIVE', [{ AttributeName: 'pk', KeyType: 'HASH' }]));

    // Act
    const provisioning = provisionTenant(deps, detail);

    // Assess
    await expect(provisioning).rejects.toThrow(/exists with another key schema/);
    expect(documentsMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('fails (so the event is retried) when creating the table fails, keeping the cause', async () => {
    // Prepare
    const throttled = awsError('LimitExceededException');
    dynamodbMock.on(CreateTableCommand).rejects(throttled);

    // Act
    const provisioning = provisionTenant(deps, detail);

    // Assess
    await expect(provisioning).rejects.toMatchObject({ name: 'ProvisioningError', cause: throttled });
  });

  it('fails when writing the TenantConfig item fails for another reason', async () => {
    // Prepare
    documentsMock.on(PutCommand).rejects(awsError('AccessDeniedException'));

    // Act
    const provisioning = provisionTenant(deps, detail);

    // Assess
    await expect(provisioning).rejects.toThrow(ProvisioningError);
  });

  it('refuses a tenant id that could not name a table safely, before any call', async () => {
    // Act
    const provisioning = provisionTenant(deps, { ...detail, tenantId: '*' } as never);

    // Assess
    await expect(provisioning).rejects.toThrow(/Invalid tenant id/);
    expect(dynamodbMock.calls()).toHaveLength(0);
  });
});
