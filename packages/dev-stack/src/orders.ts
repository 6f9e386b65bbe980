import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Order, OrderItem, OrderStatus } from '@tenant-assistant/contracts/orders';
import {
  ordersTableName,
  parseTenantId,
  parseUserId,
  type TenantContext,
} from '@tenant-assistant/tenant-context';
import { ulid } from 'ulid';

export { ORDER_STATUSES, type Order, type OrderStatus } from '@tenant-assistant/contracts/orders';

/** Looks a user up in Cognito and returns their tenant and sub — never guessed from the name. */
export const findTenantUser = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
): Promise<TenantContext & { username: string }> => {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
  const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
  return {
    username,
    tenantId: parseTenantId(attribute('custom:tenantId')),
    userId: parseUserId(attribute('sub')),
  };
};

/** The orders table of a tenant, read from its TenantConfig item and checked against the naming rule. */
export const ordersTableOf = async (
  db: DynamoDBDocumentClient,
  tables: { tenantConfigTableName: string; ordersTablePrefix: string },
  tenantId: string,
): Promise<string> => {
  const { Item } = await db.send(
    new GetCommand({ TableName: tables.tenantConfigTableName, Key: { tenantId } }),
  );
  if (!Item) throw new Error(`Tenant ${tenantId} is not provisioned (no TenantConfig item)`);
  const expected = ordersTableName(tables.ordersTablePrefix, tenantId);
  if (Item.ordersTableName !== expected) {
    throw new Error(
      `TenantConfig of ${tenantId} names ${String(Item.ordersTableName)}, expected ${expected}`,
    );
  }
  return expected;
};

export interface NewOrder {
  status?: OrderStatus;
  total?: number;
  items?: OrderItem[];
  orderId?: string;
  createdAt?: string;
}

/** Adds one order for the user to their own tenant's table. */
export const addOrder = async (
  db: DynamoDBDocumentClient,
  table: string,
  userId: string,
  input: NewOrder = {},
) => {
  const total = input.total ?? Math.round((10 + Math.random() * 190) * 100) / 100;
  if (!Number.isFinite(total) || total < 0) throw new Error('total must be a non-negative number');
  const order: Order = {
    userId,
    orderId: input.orderId ?? `ord-${ulid().toLowerCase()}`,
    status: input.status ?? 'PENDING',
    total,
    createdAt: input.createdAt ?? new Date().toISOString(),
    items: input.items ?? [{ name: 'Sample item', quantity: 1 }],
  };
  await db.send(
    new PutCommand({ TableName: table, Item: order, ConditionExpression: 'attribute_not_exists(orderId)' }),
  );
  return order;
};

/** The user's orders in their tenant's table, oldest first. */
export const listOrders = async (
  db: DynamoDBDocumentClient,
  table: string,
  userId: string,
): Promise<Order[]> => {
  const orders: Order[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': userId },
        ExclusiveStartKey,
      }),
    );
    orders.push(...((page.Items ?? []) as Order[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return orders.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
};

/** Deletes all of the user's orders (and nobody else's). Returns how many were deleted. */
export const clearOrders = async (
  db: DynamoDBDocumentClient,
  table: string,
  userId: string,
): Promise<number> => {
  const orders = await listOrders(db, table, userId);
  for (let start = 0; start < orders.length; start += 25) {
    const batch = orders.slice(start, start + 25);
    let RequestItems: Record<string, unknown[]> | undefined = {
      [table]: batch.map((o) => ({ DeleteRequest: { Key: { userId: o.userId, orderId: o.orderId } } })),
    };
    while (RequestItems && Object.keys(RequestItems).length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: RequestItems as never }));
      RequestItems = result.UnprocessedItems as typeof RequestItems;
    }
  }
  return orders.length;
};
