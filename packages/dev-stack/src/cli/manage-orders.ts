/**
 * manage-orders <username> add|clear|list [--status S] [--total N] [--item "name:qty"]...
 * Manages a local user's orders in THEIR tenant's orders table (found through Cognito and the
 * tenant's TenantConfig item), against the running local system.
 */
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  addOrder,
  clearOrders,
  findTenantUser,
  listOrders,
  ORDER_STATUSES,
  type OrderStatus,
  ordersTableOf,
} from '../orders';
import { readStackInfo } from '../state';

const usage = `Usage: manage-orders <username> add|clear|list [--status ${ORDER_STATUSES.join('|')}] [--total <number>] [--item "<name>:<quantity>"]...`;

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      total: { type: 'string' },
      item: { type: 'string', multiple: true },
    },
  });
  const [username, action] = positionals;
  if (!username || !action || !['add', 'clear', 'list'].includes(action) || positionals.length > 2) {
    throw new Error(usage);
  }
  const status = values.status?.toUpperCase();
  if (status !== undefined && !ORDER_STATUSES.includes(status as OrderStatus)) {
    throw new Error(`--status must be one of ${ORDER_STATUSES.join(', ')}`);
  }
  const total = values.total === undefined ? undefined : Number(values.total);
  if (total !== undefined && (!Number.isFinite(total) || total < 0))
    throw new Error('--total must be a non-negative number');
  const items = values.item?.map((spec) => {
    const [name, quantity = '1'] = spec.split(':');
    const qty = Number(quantity);
    if (!name || !Number.isInteger(qty) || qty < 1)
      throw new Error(`--item "${spec}" must be "<name>:<quantity>"`);
    return { name, quantity: qty };
  });

  const stack = readStackInfo();
  const credentials = stack.adminCredentials;
  const cognito = new CognitoIdentityProviderClient({
    region: stack.region,
    endpoint: stack.cognitoUrl,
    credentials,
  });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: stack.region, endpoint: stack.dynamodbUrl, credentials }),
  );
  const user = await findTenantUser(cognito, stack.userPoolId, username);
  const table = await ordersTableOf(db, stack, user.tenantId);
  if (action === 'add') {
    const order = await addOrder(db, table, user.userId, {
      ...(status ? { status: status as OrderStatus } : {}),
      ...(total !== undefined ? { total } : {}),
      ...(items ? { items } : {}),
    });
    console.log(`Added ${order.orderId} (${order.status}, ${order.total}) for ${username} in ${table}`);
  } else if (action === 'clear') {
    console.log(`Deleted ${await clearOrders(db, table, user.userId)} order(s) of ${username} from ${table}`);
  } else {
    const orders = await listOrders(db, table, user.userId);
    console.log(`${orders.length} order(s) of ${username} (tenant ${user.tenantId}, ${table}):`);
    for (const o of orders)
      console.log(`  ${o.orderId}  ${o.status.padEnd(9)}  ${o.total.toFixed(2).padStart(9)}  ${o.createdAt}`);
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
