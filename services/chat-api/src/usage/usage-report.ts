import {
  type TenantsUsagePage,
  type TenantsUsageQuery,
  type TenantUsageSummary,
  type TenantUsageView,
  tenantsUsageQuerySchema,
  type UsageQuery,
  type UsageTotals,
  usageQuerySchema,
} from '@tenant-assistant/contracts/http';
import { type TenantId, tenantIdSchema } from '@tenant-assistant/tenant-context';
import { tierLimits, usageDay, usageMonth } from '@tenant-assistant/tenant-context/tiers';
import { BadRequestError, TenantNotFoundError } from '../errors';
import { parseQuery } from '../http/query';
import type { Clock, TenantStanding, TenantStandings, UsageReports } from '../ports';

/** What the usage reports read: the usage table, auth's tenant registry and the clock. */
export interface UsageReportDeps {
  usageReports: UsageReports;
  standings: TenantStandings;
  clock: Clock;
}

const ZERO: UsageTotals = Object.freeze({ inputTokens: 0, outputTokens: 0, totalTokens: 0, prompts: 0 });

/** Validates the query of `GET /usage` and `GET /usage/tenants/{tenantId}` (400 with details; unknown parameters refused). */
export const parseUsageQuery = (query: unknown): UsageQuery => parseQuery(usageQuerySchema, query);

/** Validates the query of `GET /usage/tenants` (400 with details for a bad month, limit or parameter). */
export const parseTenantsUsageQuery = (query: unknown): TenantsUsageQuery =>
  parseQuery(tenantsUsageQuerySchema, query);

/** A tenant id from a path: 404 when it cannot be a tenant id (no such tenant can exist). */
export const tenantIdFromPath = (value: string): TenantId => {
  const parsed = tenantIdSchema.safeParse(value);
  if (!parsed.success) throw new TenantNotFoundError();
  return parsed.data as TenantId;
};

/** An opaque page cursor of `GET /usage/tenants`: the last tenant of the page, base64url. */
export const encodeTenantCursor = (tenantId: TenantId): string => Buffer.from(tenantId).toString('base64url');

const decodeTenantCursor = (cursor: string): TenantId => {
  const parsed = tenantIdSchema.safeParse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!parsed.success) throw new BadRequestError('Invalid cursor', { code: 'INVALID_CURSOR' });
  return parsed.data as TenantId;
};

/** Every day of `month` up to `today` (the whole month when it is over; none when it has not begun). */
const daysOf = (month: string, today: string): string[] => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const length = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const days: string[] = [];
  for (let date = 1; date <= length; date += 1) {
    const day = `${month}-${String(date).padStart(2, '0')}`;
    if (day > today) break;
    days.push(day);
  }
  return days;
};

const summaryOf = (standing: TenantStanding, month: string, totals: UsageTotals): TenantUsageSummary => {
  const { monthlyTokenBudget } = tierLimits(standing.tier);
  return {
    tenantId: standing.tenantId,
    tier: standing.tier,
    status: standing.status,
    month,
    totals,
    monthlyTokenBudget,
    budgetUsed: monthlyTokenBudget > 0 ? totals.totalTokens / monthlyTokenBudget : 0,
  };
};

/**
 * One tenant's month: totals against its tier's budget, today, a per-day series (zeros included)
 * and each user's totals. Callers decide which tenant (a tenant admin: only the one of their token).
 * A tenant not in the registry is 404.
 *
 * @example const view = await tenantUsage(deps, requireTenantAdmin(caller), parseUsageQuery(query));
 */
export const tenantUsage = async (
  deps: UsageReportDeps,
  tenantId: TenantId,
  query: UsageQuery,
): Promise<TenantUsageView> => {
  const now = deps.clock();
  const month = query.month ?? usageMonth(now);
  const today = usageDay(now);
  const standing = await deps.standings.get(tenantId);
  if (!standing) throw new TenantNotFoundError(tenantId);
  const [totals, days, users] = await Promise.all([
    deps.usageReports.month(tenantId, month),
    deps.usageReports.days(tenantId, month),
    deps.usageReports.users(tenantId, month),
  ]);
  return {
    ...summaryOf(standing, month, totals),
    ...(month === usageMonth(now) ? { today: { day: today, ...(days.get(today) ?? ZERO) } } : {}),
    days: daysOf(month, today).map((day) => ({ day, ...(days.get(day) ?? ZERO) })),
    users: [...users.entries()]
      .map(([userId, userTotals]) => ({ userId, ...userTotals }))
      .sort((a, b) => b.totalTokens - a.totalTokens || a.userId.localeCompare(b.userId)),
  };
};

/**
 * Every tenant's month, one page of the registry at a time (for platform admins only: the caller
 * checks the role).
 *
 * @example const page = await tenantsUsage(deps, parseTenantsUsageQuery(query));
 */
export const tenantsUsage = async (
  deps: UsageReportDeps,
  query: TenantsUsageQuery,
): Promise<TenantsUsagePage> => {
  const month = query.month ?? usageMonth(deps.clock());
  const after = query.cursor === undefined ? undefined : decodeTenantCursor(query.cursor);
  const { tenants, last } = await deps.standings.list({ limit: query.limit, ...(after ? { after } : {}) });
  const totals = await deps.usageReports.months(
    tenants.map((tenant) => tenant.tenantId),
    month,
  );
  return {
    month,
    tenants: tenants.map((tenant) => summaryOf(tenant, month, totals.get(tenant.tenantId) ?? ZERO)),
    ...(last ? { nextCursor: encodeTenantCursor(last) } : {}),
  };
};
