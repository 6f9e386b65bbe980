import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TenantsUsagePage, TenantUsageView } from '@tenant-assistant/contracts/http';
import { httpApiEvent, lambdaContext, randomUserId, type TestIssuer } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger, testDocumentClient } from '../../../test/support/deps';
import { bodyOf, expectError, expectSecurityHeaders, WEB_ORIGIN } from '../../../test/support/http';
import { testAuth } from '../../../test/support/tokens';
import { createAdminGroups } from '../../adapters/admin-groups';
import { createTenantStandings } from '../../adapters/tenant-standings';
import { createUsageReports } from '../../adapters/usage-table';
import { encodeTenantCursor } from '../../usage/usage-report';
import { createHandler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);

const NOW = new Date('2026-03-04T15:00:00.000Z');

/** Users of the pool, by username: their groups. */
const GROUPS: Record<string, string[]> = {
  'a-admin': ['tenant-tenant-a', 'admin-tenant-a'],
  'a-user': ['tenant-tenant-a'],
  'a-foreign-admin': ['tenant-tenant-a', 'admin-tenant-b'],
  'b-admin': ['tenant-tenant-b', 'admin-tenant-b'],
  operator: ['tenant-tenant-a', 'platform-admins'],
};

/** The registry: tenant id → tier and status. */
const REGISTRY: Record<string, { tier: string; status: string }> = {
  'tenant-a': { tier: 'basic', status: 'ACTIVE' },
  'tenant-b': { tier: 'standard', status: 'SUSPENDED' },
};

const usageItem = (
  tenantId: string,
  sk: string,
  inputTokens: number,
  outputTokens: number,
  prompts: number,
) => ({
  tenantId,
  sk,
  inputTokens,
  outputTokens,
  prompts,
});

let setup: { issuer: TestIssuer; handler: ReturnType<typeof createHandler> };

beforeAll(async () => {
  const auth = await testAuth();
  const client = testDocumentClient();
  setup = {
    issuer: auth.issuer,
    handler: createHandler({
      verifier: auth.verifier,
      logger: silentLogger(),
      webOrigins: () => [WEB_ORIGIN],
      adminGroups: createAdminGroups(new CognitoIdentityProviderClient({}), () => 'us-east-1_Test'),
      usageReports: createUsageReports(client, () => 'usage', { backoffMs: 1 }),
      standings: createTenantStandings(client, () => 'tenants'),
      clock: () => NOW,
    }),
  };
});

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  cognito.on(AdminListGroupsForUserCommand).callsFake((input: { Username: string }) => {
    const groups = GROUPS[input.Username];
    if (!groups) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    return { Groups: groups.map((GroupName) => ({ GroupName })) };
  });
  ddb.on(GetCommand, { TableName: 'tenants' }).callsFake((input: { Key: { tenantId: string } }) => {
    const entry = REGISTRY[input.Key.tenantId];
    return { Item: entry ? { tenantId: input.Key.tenantId, ...entry } : undefined };
  });
  ddb.on(GetCommand, { TableName: 'usage' }).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

const tokenOf = (username: string, tenantId = username.startsWith('b-') ? 'tenant-b' : 'tenant-a') =>
  setup.issuer.idToken({ sub: randomUserId(), tenantId, username });

const request = async (
  routeKey: string,
  options: {
    username?: string;
    query?: Record<string, string>;
    pathParameters?: Record<string, string>;
  } = {},
) => {
  const path = routeKey.slice(4).replace('{tenantId}', options.pathParameters?.tenantId ?? '');
  const token = options.username ? await tokenOf(options.username) : undefined;
  const event = httpApiEvent({
    method: 'GET',
    path,
    routeKey,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(token ? { token } : {}),
  });
  return setup.handler(event, lambdaContext());
};

/** Every tenant id a DynamoDB call of the test named (keys, key conditions, batch keys). */
const tenantsRead = (): string[] =>
  ddb.calls().flatMap((call) => {
    const input = call.args[0].input as {
      TableName?: string;
      Key?: { tenantId: string };
      ExpressionAttributeValues?: Record<string, unknown>;
      RequestItems?: Record<string, { Keys: { tenantId: string }[] }>;
    };
    if (input.TableName === 'tenants') return [];
    if (input.Key) return [input.Key.tenantId];
    if (input.ExpressionAttributeValues) return [String(input.ExpressionAttributeValues[':tenantId'])];
    return Object.values(input.RequestItems ?? {}).flatMap((entry) => entry.Keys.map((key) => key.tenantId));
  });

describe('getUsage handler', () => {
  describe('GET /usage', () => {
    it("shows a tenant admin their tenant's month: totals against the budget, today, every day so far and each user", async () => {
      // Prepare
      const alice = randomUserId();
      const bob = randomUserId();
      ddb.on(GetCommand, { TableName: 'usage' }).resolves({
        Item: usageItem('tenant-a', 'month#2026-03', 30_000, 10_000, 12),
      });
      ddb
        .on(QueryCommand, { KeyConditionExpression: 'tenantId = :tenantId AND sk BETWEEN :first AND :last' })
        .resolves({
          Items: [
            usageItem('tenant-a', 'day#2026-03-02', 10_000, 4_000, 5),
            usageItem('tenant-a', 'day#2026-03-04', 20_000, 6_000, 7),
          ],
        });
      ddb
        .on(QueryCommand, { KeyConditionExpression: 'tenantId = :tenantId AND begins_with(sk, :users)' })
        .resolvesOnce({
          Items: [{ userId: alice, inputTokens: 5_000, outputTokens: 1_000, prompts: 2 }],
          LastEvaluatedKey: { tenantId: 'tenant-a', sk: `user#${alice}#month#2026-03` },
        })
        .resolvesOnce({ Items: [{ userId: bob, inputTokens: 25_000, outputTokens: 9_000, prompts: 10 }] });

      // Act
      const result = await request('GET /usage', { username: 'a-admin' });

      // Assess
      expect(result.statusCode).toBe(200);
      const view = bodyOf<TenantUsageView>(result);
      expect(view).toMatchObject({
        tenantId: 'tenant-a',
        tier: 'basic',
        status: 'ACTIVE',
        month: '2026-03',
        totals: { inputTokens: 30_000, outputTokens: 10_000, totalTokens: 40_000, prompts: 12 },
        monthlyTokenBudget: 200_000,
        budgetUsed: 0.2,
        today: {
          day: '2026-03-04',
          inputTokens: 20_000,
          outputTokens: 6_000,
          totalTokens: 26_000,
          prompts: 7,
        },
      });
      expect(view.days).toEqual([
        { day: '2026-03-01', inputTokens: 0, outputTokens: 0, totalTokens: 0, prompts: 0 },
        { day: '2026-03-02', inputTokens: 10_000, outputTokens: 4_000, totalTokens: 14_000, prompts: 5 },
        { day: '2026-03-03', inputTokens: 0, outputTokens: 0, totalTokens: 0, prompts: 0 },
        { day: '2026-03-04', inputTokens: 20_000, outputTokens: 6_000, totalTokens: 26_000, prompts: 7 },
      ]);
      expect(view.users.map((user) => [user.userId, user.totalTokens])).toEqual([
        [bob, 34_000],
        [alice, 6_000],
      ]);
      expect(new Set(tenantsRead())).toEqual(new Set(['tenant-a']));
      const [days, users] = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
      expect(days?.ExpressionAttributeValues).toEqual({
        ':tenantId': 'tenant-a',
        ':first': 'day#2026-03-01',
        ':last': 'day#2026-03-31',
      });
      expect(users).toMatchObject({
        FilterExpression: '#period = :month',
        ExpressionAttributeValues: { ':tenantId': 'tenant-a', ':users': 'user#', ':month': '2026-03' },
      });
      expectSecurityHeaders(result);
    });

    it('shows a past month whole, without a today', async () => {
      // Act
      const result = await request('GET /usage', { username: 'a-admin', query: { month: '2026-02' } });

      // Assess
      const view = bodyOf<TenantUsageView>(result);
      expect(view.month).toBe('2026-02');
      expect(view.today).toBeUndefined();
      expect(view.days.map((day) => day.day)).toHaveLength(28);
      expect(view.days.at(-1)).toEqual({
        day: '2026-02-28',
        inputTokens: 0,
        outputTokens: 0,
        totalTokens: 0,
        prompts: 0,
      });
      expect(view.totals.totalTokens).toBe(0);
    });

    it('shows a platform admin the tenant of their own token', async () => {
      // Act
      const result = await request('GET /usage', { username: 'operator' });

      // Assess
      expect(result.statusCode).toBe(200);
      expect(bodyOf<TenantUsageView>(result).tenantId).toBe('tenant-a');
      expect(new Set(tenantsRead())).toEqual(new Set(['tenant-a']));
    });
  });

  describe('GET /usage/tenants', () => {
    it("shows a platform admin every tenant's month, a page at a time, retrying the keys DynamoDB left unprocessed", async () => {
      // Prepare
      ddb.on(ScanCommand).resolves({
        Items: [
          { tenantId: 'tenant-b', tier: 'standard', status: 'SUSPENDED' },
          { tenantId: 'tenant-a', tier: 'mystery', status: 'ACTIVE' },
        ],
        LastEvaluatedKey: { tenantId: 'tenant-b' },
      });
      ddb
        .on(BatchGetCommand)
        .resolvesOnce({
          Responses: { usage: [usageItem('tenant-a', 'month#2026-03', 100, 50, 1)] },
          UnprocessedKeys: { usage: { Keys: [{ tenantId: 'tenant-b', sk: 'month#2026-03' }] } },
        })
        .resolvesOnce({ Responses: { usage: [usageItem('tenant-b', 'month#2026-03', 1_000_000, 0, 40)] } });

      // Act
      const result = await request('GET /usage/tenants', { username: 'operator', query: { limit: '2' } });

      // Assess
      expect(result.statusCode).toBe(200);
      const page = bodyOf<TenantsUsagePage>(result);
      expect(page.month).toBe('2026-03');
      expect(
        page.tenants.map((t) => [t.tenantId, t.tier, t.status, t.totals.totalTokens, t.budgetUsed]),
      ).toEqual([
        ['tenant-a', 'basic', 'ACTIVE', 150, 150 / 200_000],
        ['tenant-b', 'standard', 'SUSPENDED', 1_000_000, 0.5],
      ]);
      expect(page.nextCursor).toBe(encodeTenantCursor('tenant-b' as never));
      expect(ddb.commandCalls(ScanCommand)[0]?.args[0].input).toMatchObject({
        TableName: 'tenants',
        Limit: 2,
      });
      expect(
        ddb.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.usage?.Keys),
      ).toEqual([
        [
          { tenantId: 'tenant-a', sk: 'month#2026-03' },
          { tenantId: 'tenant-b', sk: 'month#2026-03' },
        ],
        [{ tenantId: 'tenant-b', sk: 'month#2026-03' }],
      ]);
    });

    it('continues after the tenant of the cursor', async () => {
      // Prepare
      ddb.on(ScanCommand).resolves({ Items: [] });

      // Act
      const result = await request('GET /usage/tenants', {
        username: 'operator',
        query: { cursor: encodeTenantCursor('tenant-b' as never), month: '2026-01' },
      });

      // Assess
      expect(bodyOf<TenantsUsagePage>(result)).toEqual({ month: '2026-01', tenants: [] });
      expect(ddb.commandCalls(ScanCommand)[0]?.args[0].input.ExclusiveStartKey).toEqual({
        tenantId: 'tenant-b',
      });
      expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
    });

    it('answers 500 when DynamoDB keeps leaving keys unprocessed', async () => {
      // Prepare
      ddb.on(ScanCommand).resolves({ Items: [{ tenantId: 'tenant-a', tier: 'basic', status: 'ACTIVE' }] });
      ddb.on(BatchGetCommand).resolves({
        Responses: { usage: [] },
        UnprocessedKeys: { usage: { Keys: [{ tenantId: 'tenant-a', sk: 'month#2026-03' }] } },
      });

      // Act
      const result = await request('GET /usage/tenants', { username: 'operator' });

      // Assess
      expectError(result, 500, 'INTERNAL_ERROR');
      expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(6);
    });
  });

  describe('GET /usage/tenants/{tenantId}', () => {
    it("shows a platform admin any tenant's month", async () => {
      // Act
      const result = await request('GET /usage/tenants/{tenantId}', {
        username: 'operator',
        pathParameters: { tenantId: 'tenant-b' },
      });

      // Assess
      expect(result.statusCode).toBe(200);
      expect(bodyOf<TenantUsageView>(result)).toMatchObject({
        tenantId: 'tenant-b',
        monthlyTokenBudget: 2_000_000,
      });
      expect(new Set(tenantsRead())).toEqual(new Set(['tenant-b']));
    });

    it.each([
      ['not in the registry', 'tenant-z'],
      ['not a tenant id', 'Tenant*'],
    ])('answers 404 for a tenant %s', async (_case, tenantId) => {
      // Act
      const result = await request('GET /usage/tenants/{tenantId}', {
        username: 'operator',
        pathParameters: { tenantId },
      });

      // Assess
      const error = expectError(result, 404, 'TENANT_NOT_FOUND');
      expect(error.message).toBe(tenantId === 'tenant-z' ? 'Tenant tenant-z not found' : 'Tenant not found');
      expect(tenantsRead()).toEqual([]);
    });
  });

  describe('refusals', () => {
    it.each([
      ['a user who is no admin', 'a-user', 'GET /usage', 'tenant-a'],
      ["an admin of another tenant's group", 'a-foreign-admin', 'GET /usage', 'tenant-a'],
      ['a tenant admin listing every tenant', 'a-admin', 'GET /usage/tenants', 'tenant-a'],
      ['a tenant admin asking for another tenant', 'a-admin', 'GET /usage/tenants/{tenantId}', 'tenant-b'],
      [
        'a tenant admin asking for their own tenant by id',
        'a-admin',
        'GET /usage/tenants/{tenantId}',
        'tenant-a',
      ],
    ])(
      'answers 403 to %s, before looking at the query, and reads no usage',
      async (_case, username, routeKey, tenantId) => {
        // Act
        const result = await request(routeKey, {
          username,
          pathParameters: { tenantId },
          query: { month: 'not-a-month' },
        });

        // Assess
        expectError(result, 403, 'ADMIN_ROLE_REQUIRED');
        expect(ddb.calls()).toHaveLength(0);
      },
    );

    it.each<[string, string, Record<string, string>, string]>([
      [
        'a tenantId parameter (a tenant admin never widens their view)',
        'GET /usage',
        { tenantId: 'tenant-b' },
        'VALIDATION_FAILED',
      ],
      ['a month 13', 'GET /usage', { month: '2026-13' }, 'VALIDATION_FAILED'],
      ['a month without its leading zero', 'GET /usage', { month: '2026-3' }, 'VALIDATION_FAILED'],
      ['a day instead of a month', 'GET /usage', { month: '2026-03-04' }, 'VALIDATION_FAILED'],
      ['a limit of 0', 'GET /usage/tenants', { limit: '0' }, 'VALIDATION_FAILED'],
      ['a limit above 100', 'GET /usage/tenants', { limit: '101' }, 'VALIDATION_FAILED'],
      ['a limit that is no number', 'GET /usage/tenants', { limit: 'ten' }, 'VALIDATION_FAILED'],
      ['a cursor this API never returned', 'GET /usage/tenants', { cursor: 'Kg' }, 'INVALID_CURSOR'],
    ])('answers 400 for %s and reads no usage', async (_case, routeKey, query, code) => {
      // Act
      const result = await request(routeKey, {
        username: routeKey === 'GET /usage' ? 'a-admin' : 'operator',
        query,
      });

      // Assess
      const error = expectError(result, 400, code);
      if (code === 'VALIDATION_FAILED') expect(error.message).toMatch(/^The query is invalid: /);
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 401 without a token, and to a user who no longer exists', async () => {
      // Act
      const anonymous = await request('GET /usage');
      const deleted = await request('GET /usage', { username: 'a-deleted' });

      // Assess
      expectError(anonymous, 401, 'UNAUTHORIZED');
      expectError(deleted, 401, 'UNAUTHORIZED');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 404 for a route this function does not serve', async () => {
      // Act
      const result = await request('GET /usage/everything', { username: 'operator' });

      // Assess
      expectError(result, 404, 'NOT_FOUND');
    });
  });
});
