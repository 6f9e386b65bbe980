import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantsUsagePage, TenantUsageView } from '@tenant-assistant/contracts/http';
import { randomUserId } from '@tenant-assistant/testing';
import { bodyOf, expectError, expectSecurityHeaders } from '../../../test/support/http';
import { ddb, request, tenantsRead, usageItem } from '../../../test/support/usage-api';
import { encodeTenantCursor } from '../../usage/usage-report';

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
});
