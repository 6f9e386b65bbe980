import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TENANT_TIERS } from '@tenant-assistant/contracts/events';
import {
  ordersTableName as ordersTableNameOf,
  type TenantContext,
  type TenantId,
} from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import type { TableNames } from '../config';
import {
  AccessDeniedError,
  DataUnavailableError,
  OrderDataInvalidError,
  TenantConfigInvalidError,
  TenantNotProvisionedError,
} from '../errors';
import { type GetOrderParams, type ListOrdersParams, ORDER_STATUSES } from './parameters';

/**
 * The ports of the tenant-data functions. `db` MUST be built from the tenant-scoped credentials of
 * the request (tenant-context `scopedDocumentClient`): IAM, not this code, is the last word on what
 * it may read.
 */
export interface TenantDataDeps {
  db: DynamoDBDocumentClient;
  tables: TableNames;
  /** Aborts DynamoDB calls that take too long (the agent then gets a FAILURE, not a hang). */
  abortSignal?: AbortSignal;
}

/** Most orders returned by one listOrders call (the newest first). */
export const MAX_LISTED_ORDERS = 100;

/** The orders table of a tenant: `<ordersTablePrefix><tenantId>` (tenant-context's naming rule). */
export const ordersTableName = (tables: TableNames, tenantId: string): string =>
  ordersTableNameOf(tables.ordersTablePrefix, tenantId);

const tenantConfigSchema = z.object({
  tenantId: z.string(),
  name: z.string().min(1),
  returnPolicyDays: z.number().int().min(0),
  ordersTableName: z.string().min(1),
  tier: z.enum(TENANT_TIERS),
});

/** A tenant's TenantConfig item. */
export type TenantConfig = z.output<typeof tenantConfigSchema>;

const orderSchema = z.object({
  userId: z.string(),
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  total: z.number(),
  createdAt: z.string(),
  items: z.array(z.unknown()).default([]),
});

/** One order in a listOrders answer. */
export type OrderSummary = { orderId: string; status: string; total: number; createdAt: string };
/** The getOrder answer for an order of the caller. */
export type OrderDetails = OrderSummary & { items: unknown[] };

/** getReturnPolicy's answer. */
export type ReturnPolicy = { returnPolicyDays: number; tenantName: string };
/** listOrders' answer. */
export type OrderList = { count: number; orders: OrderSummary[] };
/** getOrder's answer when the order is not the caller's (missing, or another user's: the same answer). */
export type OrderNotFound = { error: 'NOT_FOUND'; message: 'Order not found' };
/** getOrder's answer. */
export type OrderLookup = { order: OrderDetails } | OrderNotFound;

const ACCESS_DENIED_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
]);

/** Translates an AWS SDK error into this service's errors (the SDK error is kept as `cause`). */
export const translateDynamoError = (error: unknown): Error => {
  const name = error instanceof Error ? error.name : '';
  if (ACCESS_DENIED_ERRORS.has(name)) return new AccessDeniedError(error);
  return new DataUnavailableError(error);
};

/** Runs one DynamoDB call with the deadline, translating its errors. */
const call = async <T>(
  deps: TenantDataDeps,
  run: (db: DynamoDBDocumentClient, options: { abortSignal?: AbortSignal }) => Promise<T>,
): Promise<T> => {
  try {
    return await run(deps.db, deps.abortSignal ? { abortSignal: deps.abortSignal } : {});
  } catch (error) {
    throw translateDynamoError(error);
  }
};

/**
 * Reads the caller's tenant's TenantConfig item and checks it: well-formed, about this tenant, and
 * naming exactly `<ordersTablePrefix><tenantId>` as its orders table (a config pointing anywhere
 * else is refused, whatever IAM would say).
 */
export const loadTenantConfig = async (
  deps: TenantDataDeps,
  tenant: TenantContext,
): Promise<TenantConfig> => {
  const tenantId: TenantId = tenant.tenantId;
  const output = await call(deps, (db, options) =>
    db.send(new GetCommand({ TableName: deps.tables.tenantConfigTableName, Key: { tenantId } }), options),
  );
  if (!output.Item) throw new TenantNotProvisionedError();
  const parsed = tenantConfigSchema.safeParse(output.Item);
  if (!parsed.success) throw new TenantConfigInvalidError('malformed TenantConfig item', parsed.error);
  if (parsed.data.tenantId !== tenantId) throw new TenantConfigInvalidError('item of another tenant');
  if (parsed.data.ordersTableName !== ordersTableName(deps.tables, tenantId)) {
    throw new TenantConfigInvalidError("ordersTableName is not the tenant's own orders table");
  }
  return parsed.data;
};

const parseOrder = (item: Record<string, unknown>, tenant: TenantContext) => {
  const parsed = orderSchema.safeParse(item);
  if (!parsed.success) throw new OrderDataInvalidError(parsed.error);
  // Defence in depth: the key condition already limits reads to the caller's partition.
  if (parsed.data.userId !== tenant.userId) throw new OrderDataInvalidError();
  return parsed.data;
};

const summary = (order: z.output<typeof orderSchema>): OrderSummary => ({
  orderId: order.orderId,
  status: order.status,
  total: order.total,
  createdAt: order.createdAt,
});

/**
 * The tenant's return policy.
 * @example await getReturnPolicy(deps, tenant) // { returnPolicyDays: 10, tenantName: 'Acme' }
 */
export const getReturnPolicy = async (
  deps: TenantDataDeps,
  tenant: TenantContext,
  _params: Record<string, never> = {},
): Promise<ReturnPolicy> => {
  const config = await loadTenantConfig(deps, tenant);
  return { returnPolicyDays: config.returnPolicyDays, tenantName: config.name };
};

/**
 * The caller's own orders (partition `userId` of the tenant's orders table), newest first, at most
 * {@link MAX_LISTED_ORDERS}, optionally only those with one status.
 */
export const listOrders = async (
  deps: TenantDataDeps,
  tenant: TenantContext,
  params: ListOrdersParams,
): Promise<OrderList> => {
  const config = await loadTenantConfig(deps, tenant);
  const orders: OrderSummary[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await call(deps, (db, options) =>
      db.send(
        new QueryCommand({
          TableName: config.ordersTableName,
          KeyConditionExpression: '#userId = :userId',
          ...(params.status ? { FilterExpression: '#status = :status' } : {}),
          ExpressionAttributeNames: {
            '#userId': 'userId',
            ...(params.status ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: {
            ':userId': tenant.userId,
            ...(params.status ? { ':status': params.status } : {}),
          },
          ExclusiveStartKey: startKey,
        }),
        options,
      ),
    );
    for (const item of page.Items ?? []) orders.push(summary(parseOrder(item, tenant)));
    startKey = page.LastEvaluatedKey;
  } while (startKey && orders.length < MAX_LISTED_ORDERS);
  orders.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.orderId.localeCompare(b.orderId));
  const listed = orders.slice(0, MAX_LISTED_ORDERS);
  return { count: listed.length, orders: listed };
};

/** The answer for an order that is not the caller's. */
export const ORDER_NOT_FOUND: OrderNotFound = Object.freeze({
  error: 'NOT_FOUND',
  message: 'Order not found',
});

/**
 * One of the caller's orders. The key is (caller's userId, orderId), so another user's order is
 * simply not found: the answer is the same as for an order that does not exist.
 */
export const getOrder = async (
  deps: TenantDataDeps,
  tenant: TenantContext,
  params: GetOrderParams,
): Promise<OrderLookup> => {
  const config = await loadTenantConfig(deps, tenant);
  const output = await call(deps, (db, options) =>
    db.send(
      new GetCommand({
        TableName: config.ordersTableName,
        Key: { userId: tenant.userId, orderId: params.orderId },
      }),
      options,
    ),
  );
  if (!output.Item) return { ...ORDER_NOT_FOUND };
  const order = parseOrder(output.Item, tenant);
  return { order: { ...summary(order), items: order.items } };
};
