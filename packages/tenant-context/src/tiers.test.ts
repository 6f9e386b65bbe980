import { MAX_PROMPT_LENGTH } from './limits';
import {
  isTenantTier,
  secondsUntilNextMonth,
  TENANT_TIERS,
  TIER_LIMITS,
  tierLimits,
  usageDay,
  usageMonth,
} from './tiers';

describe('tiers', () => {
  it('defines limits for every tier and only for them', () => {
    expect(Object.keys(TIER_LIMITS).sort()).toEqual([...TENANT_TIERS].sort());
  });

  it('grows every limit from one tier to the next', () => {
    const numeric = [
      'tenantPromptsPerMinute',
      'userPromptsPerMinute',
      'answersInFlight',
      'monthlyTokenBudget',
      'maxPromptLength',
    ] as const;
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
    expect(isTenantTier('basic')).toBe(true);
    expect(isTenantTier('gold')).toBe(false);
    expect(isTenantTier(undefined)).toBe(false);
  });

  it('names the UTC day and month of a time and counts the seconds to the next month', () => {
    const at = new Date('2026-12-31T23:59:30.200Z');
    expect(usageDay(at)).toBe('2026-12-31');
    expect(usageMonth(at)).toBe('2026-12');
    expect(secondsUntilNextMonth(at)).toBe(30);
  });
});
