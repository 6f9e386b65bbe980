import { ChatApiError, getUsage, listTenantsUsage } from '../../src/client';
import type { E2eSystem } from './system';

/** chat-api's usage API: token usage per tenant, user and day, and who may read it. */
export const usageTests = (system: E2eSystem) => {
  const { ask, session } = system;

  describe('the usage API on the local system', () => {
    /** What a refused usage request answers (status and code). */
    const refusalOf = async (request: () => Promise<unknown>) => {
      try {
        await request();
        return undefined;
      } catch (error) {
        return error instanceof ChatApiError ? { status: error.status, code: error.code } : error;
      }
    };

    test("shows each tenant admin their tenant's tokens growing with every answer, per user and per day, and refuses another tenant's", async () => {
      // Prepare
      const admin = await session('tenant1-admin');
      const before = await getUsage(system.stack.info, admin);
      const users = new Map(before.users.map((user) => [user.userId, user.totalTokens]));

      // Act
      const first = await ask('tenant1-user', 'What is your return policy?');
      const second = await ask('tenant1-user2', 'Which orders did I place?');
      const after = await getUsage(system.stack.info, admin);

      // Assess
      expect([first.status, second.status]).toEqual(['COMPLETED', 'COMPLETED']);
      expect(after.tenantId).toBe('tenant1');
      expect(after.totals.prompts).toBe(before.totals.prompts + 2);
      expect(after.totals.totalTokens).toBeGreaterThan(before.totals.totalTokens);
      expect(after.totals.totalTokens).toBe(after.totals.inputTokens + after.totals.outputTokens);
      expect(after.today?.prompts).toBe((before.today?.prompts ?? 0) + 2);
      expect(after.days.at(-1)).toEqual({ ...after.today });
      expect(after.budgetUsed).toBeCloseTo(after.totals.totalTokens / after.monthlyTokenBudget);
      const ids = [first, second].map((answer) => answer.answerId.split('.')[0] ?? '');
      for (const id of ids) {
        expect(after.users.find((user) => user.userId === id)?.totalTokens).toBeGreaterThan(
          users.get(id) ?? 0,
        );
      }
      expect(await refusalOf(() => getUsage(system.stack.info, admin, { tenantId: 'tenant2' }))).toEqual({
        status: 403,
        code: 'ADMIN_ROLE_REQUIRED',
      });
      expect(await refusalOf(() => listTenantsUsage(system.stack.info, admin))).toEqual({
        status: 403,
        code: 'ADMIN_ROLE_REQUIRED',
      });
    });

    test("keeps tenants apart: tenant2's admin sees only tenant2, a user sees nothing, a platform admin sees every tenant", async () => {
      // Prepare
      const tenant2Admin = await session('tenant2-admin');
      const platformAdmin = await session('platform-admin');
      const user = await session('tenant1-user');
      const tenant1Before = await getUsage(system.stack.info, platformAdmin, { tenantId: 'tenant1' });
      const tenant2Before = await getUsage(system.stack.info, tenant2Admin);

      // Act
      await ask('tenant2-user', 'What is your return policy?');
      const tenant2After = await getUsage(system.stack.info, tenant2Admin);
      const tenant1After = await getUsage(system.stack.info, platformAdmin, { tenantId: 'tenant1' });
      const everyTenant = await listTenantsUsage(system.stack.info, platformAdmin, { limit: 100 });

      // Assess
      expect(tenant2After.tenantId).toBe('tenant2');
      expect(tenant2After.totals.prompts).toBe(tenant2Before.totals.prompts + 1);
      expect(tenant2After.totals.totalTokens).toBeGreaterThan(tenant2Before.totals.totalTokens);
      expect(tenant1After.totals).toEqual(tenant1Before.totals);
      const listed = new Map(
        everyTenant.tenants.map((tenant) => [tenant.tenantId, tenant.totals.totalTokens]),
      );
      expect([...listed.keys()]).toEqual(expect.arrayContaining(['tenant1', 'tenant2', 'tenant3']));
      expect(listed.get('tenant2')).toBe(tenant2After.totals.totalTokens);
      expect(await refusalOf(() => getUsage(system.stack.info, user))).toEqual({
        status: 403,
        code: 'ADMIN_ROLE_REQUIRED',
      });
      expect(
        await refusalOf(() => getUsage(system.stack.info, tenant2Admin, { tenantId: 'tenant1' })),
      ).toEqual({
        status: 403,
        code: 'ADMIN_ROLE_REQUIRED',
      });
    });
  });
};
