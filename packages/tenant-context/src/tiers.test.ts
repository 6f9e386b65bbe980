import { MAX_PROMPT_LENGTH } from './limits';
import {
  isTenantTier,
  secondsUntilNextMonth,
  TENANT_TIERS,
  TIER_LIMITS,
  tierLimits,
  usageDay,
  usageMonth,
  usageSortKeys,
} from './tiers';

describe('tiers', () => {
  it('defines limits for every tier and only for them', () => {
    expect(Object.keys(TIER_LIMITS).sort()).toEqual([...TENANT_TIERS].sort());
  });

  it('grows every limit from one tier to the next', () => {
    // Prepare
    const numeric = [
      'tenantPromptsPerMinute',
      'userPromptsPerMinute',
      'answersInFlight',
      'monthlyTokenBudget',
      'maxPromptLength',
    ] as const;

    // Act / Assess
    for (const [lower, higher] of TENANT_TIERS.slice(1).map((tier, i) => [TENANT_TIERS[i], tier] as const)) {
      for (const key of numeric) {
        expect(tierLimits(higher as never)[key]).toBeGreaterThanOrEqual(tierLimits(lower as never)[key]);
      }
    }
  });

  it('never lets a user exceed its tenant or a prompt exceed the contract', () => {
    for (const tier of TENANT_TIERS) {
      const limits = tierLimits(tier);
      expect(limits.userPromptsPerMinute).toBeLessThanOrEqual(limits.tenantPromptsPerMinute);
      expect(limits.maxPromptLength).toBeLessThanOrEqual(MAX_PROMPT_LENGTH);
    }
  });

  it('recognises tier names and refuses anything else', () => {
    // Act / Assess
    expect(isTenantTier('basic')).toBe(true);
    expect(isTenantTier('gold')).toBe(false);
    expect(isTenantTier(undefined)).toBe(false);
  });

  it('names the UTC day and month of a time and counts the seconds to the next month', () => {
    // Prepare
    const at = new Date('2026-12-31T23:59:30.200Z');

    // Act / Assess
    expect(usageDay(at)).toBe('2026-12-31');
    expect(usageMonth(at)).toBe('2026-12');
    expect(secondsUntilNextMonth(at)).toBe(30);
  });

  it('keys the usage items of a tenant by period, by user and period, and by answer, without collisions', () => {
    // Prepare
    const user = '6f1c2b9e-3a4d-4e5f-8a7b-9c0d1e2f3a4b';

    // Act
    const keys = [
      usageSortKeys.month('2026-12'),
      usageSortKeys.day('2026-12-31'),
      usageSortKeys.userMonth(user, '2026-12'),
      usageSortKeys.userDay(user, '2026-12-31'),
      usageSortKeys.answer(`${user}.01JABCDEFGHJKMNPQRSTVWXYZ0`),
    ];

    // Assess
    expect(keys).toEqual([
      'month#2026-12',
      'day#2026-12-31',
      `user#${user}#month#2026-12`,
      `user#${user}#day#2026-12-31`,
      `answer#${user}.01JABCDEFGHJKMNPQRSTVWXYZ0`,
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
