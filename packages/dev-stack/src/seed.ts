import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GetGroupCommand,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { PLATFORM_ADMIN_GROUP, tenantAdminGroupName } from '@tenant-assistant/tenant-context';
import { invokeLocalLambda, LambdaInvokeError } from './offline';
import { addOrder, findTenantUser, listOrders, type NewOrder, ordersTableOf } from './orders';
import { STAGE } from './stack';
import type { StackInfo } from './state';
import { readSeededUsers, type SeededUser, writeSeededUsers } from './users';

/** The seeded tenants: return policies of 10, 20 and 30 days. */
export const SEED_TENANTS = [
  { tenantId: 'tenant1', name: 'Tenant One', returnPolicyDays: 10, tier: 'standard' },
  { tenantId: 'tenant2', name: 'Tenant Two', returnPolicyDays: 20, tier: 'basic' },
  { tenantId: 'tenant3', name: 'Tenant Three', returnPolicyDays: 30, tier: 'premium' },
] as const;

/**
 * The seeded users (a second user in tenant1, a tenant admin per tenant, one platform admin whose
 * home tenant is tenant1) and the orders each starts with.
 */
export const SEED_USERS: {
  username: string;
  tenantId: string;
  orders: NewOrder[];
  role?: 'tenant admin' | 'platform admin';
}[] = [
  {
    username: 'tenant1-user',
    tenantId: 'tenant1',
    orders: [
      { status: 'DELIVERED', total: 42.5, items: [{ name: 'Desk lamp', quantity: 1 }] },
      { status: 'SHIPPED', total: 129.99, items: [{ name: 'Office chair', quantity: 1 }] },
    ],
  },
  {
    username: 'tenant1-user2',
    tenantId: 'tenant1',
    orders: [{ status: 'PENDING', total: 15, items: [{ name: 'Notebook', quantity: 3 }] }],
  },
  {
    username: 'tenant2-user',
    tenantId: 'tenant2',
    orders: [
      { status: 'DELIVERED', total: 250, items: [{ name: 'Monitor', quantity: 1 }] },
      { status: 'CANCELLED', total: 19.9, items: [{ name: 'Cable', quantity: 2 }] },
    ],
  },
  {
    username: 'tenant3-user',
    tenantId: 'tenant3',
    orders: [{ status: 'SHIPPED', total: 75.25, items: [{ name: 'Keyboard', quantity: 1 }] }],
  },
  { username: 'tenant1-admin', tenantId: 'tenant1', orders: [], role: 'tenant admin' },
  { username: 'tenant2-admin', tenantId: 'tenant2', orders: [], role: 'tenant admin' },
  { username: 'tenant3-admin', tenantId: 'tenant3', orders: [], role: 'tenant admin' },
  { username: 'platform-admin', tenantId: 'tenant1', orders: [], role: 'platform admin' },
];

/** Creates a group of the local pool unless it exists (the pool-wide platform-admins group). */
const ensureGroup = async (cognito: CognitoIdentityProviderClient, userPoolId: string, groupName: string) => {
  try {
    await cognito.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: groupName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await cognito.send(
      new CreateGroupCommand({
        UserPoolId: userPoolId,
        GroupName: groupName,
        Description: 'Platform administrators',
      }),
    );
  }
};

/** The password `--known-passwords` gives every seeded user (local development only). */
export const KNOWN_DEV_PASSWORD = 'Tenant-Assistant-1!';

const invokeAuth = async (info: StackInfo, fn: string, payload: unknown) => {
  try {
    return await invokeLocalLambda(info.ports.authLambda, `tenant-assistant-auth-${STAGE}-${fn}`, payload);
  } catch (error) {
    if (error instanceof LambdaInvokeError) {
      const message = (error.payload as { errorMessage?: string } | undefined)?.errorMessage;
      throw new Error(`${fn} failed: ${message ?? error.message}`);
    }
    throw error;
  }
};

/**
 * Seeds the local system through the auth service's own functions: onboards the tenants (the
 * TenantOnboarded events make order-action-group create their tables), creates the users with
 * temporary passwords (or, with `knownPasswords`, a known permanent one) and adds sample orders.
 * Repeating it changes nothing that exists already.
 */
export const seedStack = async (
  info: StackInfo,
  options: { knownPasswords?: boolean; dataDir?: string; log?: (line: string) => void } = {},
): Promise<SeededUser[]> => {
  const log = options.log ?? (() => undefined);
  const credentials = info.adminCredentials;
  const cognito = new CognitoIdentityProviderClient({
    region: info.region,
    endpoint: info.cognitoUrl,
    credentials,
  });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: info.region, endpoint: info.dynamodbUrl, credentials }),
  );

  for (const tenant of SEED_TENANTS) await invokeAuth(info, 'onboardTenant', tenant);
  const deadline = Date.now() + 60_000;
  for (const tenant of SEED_TENANTS) {
    for (;;) {
      const { Item } = await db.send(
        new GetCommand({ TableName: info.tenantConfigTableName, Key: { tenantId: tenant.tenantId } }),
      );
      if (Item) break;
      if (Date.now() > deadline) throw new Error(`Tenant ${tenant.tenantId} was not provisioned in time`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  log(`tenants ready: ${SEED_TENANTS.map((t) => t.tenantId).join(', ')}`);

  await ensureGroup(cognito, info.userPoolId, PLATFORM_ADMIN_GROUP);
  const known = new Map(readSeededUsers(options.dataDir).map((u) => [u.username, u]));
  const users: SeededUser[] = [];
  for (const seed of SEED_USERS) {
    let user = known.get(seed.username);
    let exists = true;
    try {
      const existing = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: info.userPoolId, Username: seed.username }),
      );
      if (user?.temporary && existing.UserStatus !== 'FORCE_CHANGE_PASSWORD') {
        // the temporary password was replaced at first sign-in: only the user knows the new one
        user = { ...user, password: '(changed at first sign-in)', temporary: false };
      }
    } catch (error) {
      if (!(error instanceof UserNotFoundException)) throw error;
      exists = false;
    }
    if (!exists) {
      const created = (await invokeAuth(info, 'createTenantUser', {
        tenantId: seed.tenantId,
        username: seed.username,
        email: `${seed.username}@example.com`,
      })) as { temporaryPassword: string };
      user = {
        username: seed.username,
        tenantId: seed.tenantId,
        password: created.temporaryPassword,
        temporary: true,
      };
    }
    if (options.knownPasswords && (!user || user.password !== KNOWN_DEV_PASSWORD || user.temporary)) {
      await cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: info.userPoolId,
          Username: seed.username,
          Password: KNOWN_DEV_PASSWORD,
          Permanent: true,
        }),
      );
      user = {
        username: seed.username,
        tenantId: seed.tenantId,
        password: KNOWN_DEV_PASSWORD,
        temporary: false,
      };
    }
    if (!user) {
      user = {
        username: seed.username,
        tenantId: seed.tenantId,
        password: '(unknown: run with --reset)',
        temporary: false,
      };
    }
    if (seed.role) {
      user = { ...user, role: seed.role };
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: info.userPoolId,
          Username: seed.username,
          GroupName:
            seed.role === 'tenant admin' ? tenantAdminGroupName(seed.tenantId) : PLATFORM_ADMIN_GROUP,
        }),
      );
    }
    users.push(user);

    if (seed.orders.length === 0) continue;
    const { userId, tenantId } = await findTenantUser(cognito, info.userPoolId, seed.username);
    const table = await ordersTableOf(db, info, tenantId);
    if ((await listOrders(db, table, userId)).length === 0) {
      for (const order of seed.orders) await addOrder(db, table, userId, order);
    }
  }
  writeSeededUsers(users, options.dataDir);
  log(`users ready: ${users.map((u) => u.username).join(', ')}`);
  return users;
};
