import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tenantContext } from '@tenant-assistant/tenant-context';
import { mockClient } from 'aws-sdk-client-mock';
import { ORDER_VIEW, storedOrder } from '../../test/orders';
import {
  AccessDeniedError,
  DataUnavailableError,
  OrderDataInvalidError,
  TenantConfigInvalidError,
  TenantNotProvisionedError,
} from '../errors';
import {
  getOrder,
  getReturnPolicy,
  listOrders,
  loadTenantConfig,
  MAX_LISTED_ORDERS,
  ORDER_NOT_FOUND,
  type TenantDataDeps,
} from './tenant-data';

const tables = { tenantConfigTableName: 'svc-test-tenant-config', ordersTablePrefix: 'svc-test-orders-' };
const user1 = '3f0d6c1e-8a4b-4c2d-9e7f-1a2b3c4d5e6f';
const tenant = tenantContext({ tenantId: 'tenant1', userId: user1 });
const config = {
  tenantId: 'tenant1',
  name: 'Acme Outdoor',
  returnPolicyDays: 10,
  ordersTableName: 'svc-test-orders-tenant1',
  tier: 'basic',
};
const order = (orderId: string, overrides: Record<string, unknown> = {}) =>
  storedOrder(user1, orderId, overrides);
const awsError = (name: string) => Object.assign(new Error(`${name} from DynamoDB`), { name });

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dbMock = mockClient(db);
const deps: TenantDataDeps = { db, tables };

beforeEach(() => {
  dbMock.reset();
  dbMock.on(GetCommand, { TableName: tables.tenantConfigTableName }).resolves({ Item: config });
});

describe('loadTenantConfig', () => {
  it("reads the caller's tenant's item by its tenantId", async () => {
    // Act
    const loaded = await loadTenantConfig(deps, tenant);

    // Assess
    expect(loaded).toEqual(config);
    expect(dbMock.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: tables.tenantConfigTableName,
      Key: { tenantId: 'tenant1' },
    });
  });

  it('refuses a tenant that has no TenantConfig item', async () => {
    // Prepare
    dbMock.on(GetCommand, { TableName: tables.tenantConfigTableName }).resolves({});

    // Act
    const loading = loadTenantConfig(deps, tenant);

    // Assess
    await expect(loading).rejects.toThrow(TenantNotProvisionedError);
  });

  it.each([
    ['another tenant', 'svc-test-orders-tenant2'],
    ['a table outside the prefix', 'other-table'],
    ['a prefix of its own table', 'svc-test-orders-tenant'],
  ])('refuses an item whose ordersTableName names %s', async (_case, ordersTableName) => {
    // Prepare
    dbMock
      .on(GetCommand, { TableName: tables.tenantConfigTableName })
      .resolves({ Item: { ...config, ordersTableName } });

    // Act
    const loading = loadTenantConfig(deps, tenant);

    // Assess
    await expect(loading).rejects.toThrow(TenantConfigInvalidError);
  });

  it('refuses an item that belongs to another tenant or is malformed', async () => {
    // Prepare
    dbMock
      .on(GetCommand, { TableName: tables.tenantConfigTableName })
      .resolvesOnce({ Item: { ...config, tenantId: 'tenant2' } })
      .resolvesOnce({ Item: { ...config, returnPolicyDays: '10' } });

    // Act
    const otherTenant = loadTenantConfig(deps, tenant);
    const malformed = loadTenantConfig(deps, tenant);

    // Assess
    await expect(otherTenant).rejects.toThrow(TenantConfigInvalidError);
    await expect(malformed).rejects.toThrow(TenantConfigInvalidError);
  });

  it('translates an IAM refusal into AccessDeniedError and keeps the cause', async () => {
    // Prepare
    const denied = awsError('AccessDeniedException');
    dbMock.on(GetCommand).rejects(denied);

    // Act
    const loading = loadTenantConfig(deps, tenant);

    // Assess
    await expect(loading).rejects.toThrow(AccessDeniedError);
    await expect(loading).rejects.toMatchObject({ code: 'ACCESS_DENIED', cause: denied });
  });

  it.each(['ExpiredTokenException', 'UnrecognizedClientException'])(
    'treats %s as access denied',
    async (name) => {
      // Prepare
      dbMock.on(GetCommand).rejects(awsError(name));

      // Act
      const loading = loadTenantConfig(deps, tenant);

      // Assess
      await expect(loading).rejects.toThrow(AccessDeniedError);
    },
  );

  it('translates other failures (throttling, timeouts) into DataUnavailableError', async () => {
    // Prepare
    dbMock.on(GetCommand).rejects(awsError('ProvisionedThroughputExceededException'));

    // Act
    const loading = loadTenantConfig(deps, tenant);

    // Assess
    await expect(loading).rejects.toThrow(DataUnavailableError);
  });

  it('passes the deadline to DynamoDB', async () => {
    // Prepare
    const abortSignal = AbortSignal.timeout(1000);

    // Act
    await loadTenantConfig({ ...deps, abortSignal }, tenant);

    // Assess
    expect((dbMock.call(0).args as unknown[])[1]).toEqual({ abortSignal });
  });
});

describe('getReturnPolicy', () => {
  it("answers the tenant's return policy and name", async () => {
    // Act
    const policy = await getReturnPolicy(deps, tenant);

    // Assess
    expect(policy).toEqual({ returnPolicyDays: 10, tenantName: 'Acme Outdoor' });
  });
});

describe('listOrders', () => {
  it("queries only the caller's partition of the tenant's orders table, newest first", async () => {
    // Prepare
    dbMock.on(QueryCommand).resolves({
      Items: [
        order('o-1', { createdAt: '2025-01-01T00:00:00.000Z', status: 'DELIVERED', total: 10 }),
        order('o-2', { createdAt: '2025-02-01T00:00:00.000Z', status: 'PENDING', total: 20 }),
      ],
    });

    // Act
    const list = await listOrders(deps, tenant, {});

    // Assess
    expect(list).toEqual({
      count: 2,
      orders: [
        { orderId: 'o-2', status: 'PENDING', total: 20, createdAt: '2025-02-01T00:00:00.000Z' },
        { orderId: 'o-1', status: 'DELIVERED', total: 10, createdAt: '2025-01-01T00:00:00.000Z' },
      ],
    });
    const input = dbMock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: 'svc-test-orders-tenant1',
      KeyConditionExpression: '#userId = :userId',
      ExpressionAttributeNames: { '#userId': 'userId' },
      ExpressionAttributeValues: { ':userId': user1 },
    });
    expect(input).not.toHaveProperty('FilterExpression');
  });

  it('filters by status when one is given', async () => {
    // Prepare
    dbMock.on(QueryCommand).resolves({ Items: [order('o-3')] });

    // Act
    const list = await listOrders(deps, tenant, { status: 'SHIPPED' });

    // Assess
    expect(list.count).toBe(1);
    expect(dbMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      FilterExpression: '#status = :status',
      ExpressionAttributeNames: { '#userId': 'userId', '#status': 'status' },
      ExpressionAttributeValues: { ':userId': user1, ':status': 'SHIPPED' },
    });
  });

  it('follows pages and stops at the listing limit', async () => {
    // Prepare
    const page = (from: number) =>
      Array.from({ length: 60 }, (_, i) => order(`o-${String(from + i).padStart(4, '0')}`));
    dbMock
      .on(QueryCommand)
      .resolvesOnce({ Items: page(0), LastEvaluatedKey: { userId: user1, orderId: 'o-0059' } })
      .resolvesOnce({ Items: page(60), LastEvaluatedKey: { userId: user1, orderId: 'o-0119' } })
      .resolves({ Items: page(120) });

    // Act
    const list = await listOrders(deps, tenant, {});

    // Assess
    expect(dbMock.commandCalls(QueryCommand)).toHaveLength(2);
    expect(dbMock.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      userId: user1,
      orderId: 'o-0059',
    });
    expect(list.count).toBe(MAX_LISTED_ORDERS);
    expect(list.orders).toHaveLength(MAX_LISTED_ORDERS);
  });

  it('answers an empty list when the caller has no orders', async () => {
    // Prepare
    dbMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    const list = await listOrders(deps, tenant, {});

    // Assess
    expect(list).toEqual({ count: 0, orders: [] });
  });

  it('refuses rows of another user or with a malformed shape', async () => {
    // Prepare
    dbMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [order('o-1', { userId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })] })
      .resolvesOnce({ Items: [order('o-1', { total: '12.00' })] });

    // Act
    const otherUser = listOrders(deps, tenant, {});
    const malformed = listOrders(deps, tenant, {});

    // Assess
    await expect(otherUser).rejects.toThrow(OrderDataInvalidError);
    await expect(malformed).rejects.toThrow(OrderDataInvalidError);
  });

  it('does not read orders when the TenantConfig item is refused', async () => {
    // Prepare
    dbMock
      .on(GetCommand, { TableName: tables.tenantConfigTableName })
      .resolves({ Item: { ...config, ordersTableName: 'svc-test-orders-tenant2' } });

    // Act
    const listing = listOrders(deps, tenant, {});

    // Assess
    await expect(listing).rejects.toThrow(TenantConfigInvalidError);
    expect(dbMock.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('getOrder', () => {
  it("reads the order under the caller's userId and answers it with its items", async () => {
    // Prepare
    dbMock.on(GetCommand, { TableName: 'svc-test-orders-tenant1' }).resolves({ Item: order('o-1001') });

    // Act
    const lookup = await getOrder(deps, tenant, { orderId: 'o-1001' });

    // Assess
    expect(lookup).toEqual({
      order: ORDER_VIEW,
    });
    expect(dbMock.commandCalls(GetCommand)[1]?.args[0].input).toEqual({
      TableName: 'svc-test-orders-tenant1',
      Key: { userId: user1, orderId: 'o-1001' },
    });
  });

  it("answers NOT_FOUND for a missing order, which is also what another user's order looks like", async () => {
    // Prepare
    dbMock.on(GetCommand, { TableName: 'svc-test-orders-tenant1' }).resolves({});

    // Act
    const lookup = await getOrder(deps, tenant, { orderId: 'o-2001' });

    // Assess
    expect(lookup).toEqual({ error: 'NOT_FOUND', message: 'Order not found' });
    expect(lookup).toEqual(ORDER_NOT_FOUND);
  });

  it('answers an order without items with an empty list', async () => {
    // Prepare
    const { items: _items, ...withoutItems } = order('o-1002');
    dbMock.on(GetCommand, { TableName: 'svc-test-orders-tenant1' }).resolves({ Item: withoutItems });

    // Act
    const lookup = await getOrder(deps, tenant, { orderId: 'o-1002' });

    // Assess
    expect(lookup).toMatchObject({ order: { orderId: 'o-1002', items: [] } });
  });

  it('translates an IAM refusal on the orders table into AccessDeniedError', async () => {
    // Prepare
    dbMock
      .on(GetCommand, { TableName: 'svc-test-orders-tenant1' })
      .rejects(awsError('AccessDeniedException'));

    // Act
    const lookup = getOrder(deps, tenant, { orderId: 'o-1001' });

    // Assess
    await expect(lookup).rejects.toThrow(AccessDeniedError);
  });
});
