import type { TenantUsageView } from '@tenant-assistant/contracts/http';
import { formatTenantsUsage, formatTenantUsage } from './usage';

const totals = (totalTokens: number, prompts: number) => ({
  inputTokens: totalTokens - 100,
  outputTokens: 100,
  totalTokens,
  prompts,
});

const view: TenantUsageView = {
  tenantId: 'tenant1',
  tier: 'basic',
  status: 'ACTIVE',
  month: '2026-03',
  totals: totals(3_000, 3),
  monthlyTokenBudget: 200_000,
  budgetUsed: 0.015,
  today: { day: '2026-03-02', ...totals(1_000, 1) },
  days: [
    { day: '2026-03-01', ...totals(2_000, 2) },
    { day: '2026-03-02', ...totals(1_000, 1) },
  ],
  users: [{ userId: 'u-1', ...totals(3_000, 3) }],
};

describe('formatTenantUsage', () => {
  it('prints the month against the budget, today, a bar per day scaled to the busiest and each user', () => {
    // Act
    const lines = formatTenantUsage(view).split('\n');

    // Assess
    expect(lines[0]).toBe('tenant1 (basic, ACTIVE) — 2026-03');
    expect(lines).toContain('  month: 3,000 tokens (2,900 in, 100 out), 3 prompts');
    expect(lines).toContain('  budget: 200,000 tokens, 1.5% used');
    expect(lines).toContain('  today (2026-03-02): 1,000 tokens (900 in, 100 out), 1 prompts');
    expect(lines.find((line) => line.includes('2026-03-01 '))).toContain('#'.repeat(40));
    expect(lines.find((line) => line.includes('2026-03-02 '))).toMatch(/ #{20} {21}1,000 tokens/);
    expect(lines.at(-1)).toBe('    u-1  3,000 tokens (2,900 in, 100 out), 3 prompts');
  });

  it('prints a month without usage without dividing by zero', () => {
    // Act
    const text = formatTenantUsage({
      ...view,
      totals: totals(100, 0),
      today: undefined,
      days: [{ day: '2026-03-01', ...totals(0, 0) }],
      users: [],
    });

    // Assess
    expect(text).not.toContain('NaN');
    expect(text).toContain('per user: none');
    expect(text).not.toContain('today');
  });
});

describe('formatTenantsUsage', () => {
  it('prints one line per tenant and how to read the next page', () => {
    // Act
    const text = formatTenantsUsage({ month: '2026-03', tenants: [view], nextCursor: 'dGVuYW50MQ' });

    // Assess
    expect(text.split('\n')).toEqual([
      'every tenant — 2026-03',
      expect.stringMatching(/^ {2}tenant1 +basic +3,000 tokens .*, 1\.5% of budget$/),
      '  more: --cursor dGVuYW50MQ',
    ]);
  });
});
