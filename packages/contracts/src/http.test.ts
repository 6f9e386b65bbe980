import { DEFAULT_USAGE_PAGE_SIZE, tenantsUsageQuerySchema, usageMonthSchema, usageQuerySchema } from './http';

describe('usageMonthSchema', () => {
  it.each(['2026-01', '2026-12', '1999-09'])('accepts the month %s', (month) => {
    // Act / Assess
    expect(usageMonthSchema.safeParse(month).success).toBe(true);
  });

  it.each(['2026-00', '2026-13', '2026-3', '2026-03-04', '26-03', 'march', ''])('refuses %p', (month) => {
    // Act / Assess
    expect(usageMonthSchema.safeParse(month).success).toBe(false);
  });
});

describe('usageQuerySchema', () => {
  it('reads an optional month and refuses any other parameter, a tenantId among them', () => {
    // Act / Assess
    expect(usageQuerySchema.parse({})).toEqual({});
    expect(usageQuerySchema.parse({ month: '2026-03' })).toEqual({ month: '2026-03' });
    expect(usageQuerySchema.safeParse({ tenantId: 'tenant-b' }).success).toBe(false);
  });
});

describe('tenantsUsageQuerySchema', () => {
  it('defaults the page size, reads the limit from a query string and refuses one out of range', () => {
    // Act / Assess
    expect(tenantsUsageQuerySchema.parse({})).toEqual({ limit: DEFAULT_USAGE_PAGE_SIZE });
    expect(tenantsUsageQuerySchema.parse({ limit: '100', cursor: 'dA' })).toEqual({
      limit: 100,
      cursor: 'dA',
    });
    expect(tenantsUsageQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(tenantsUsageQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
    expect(tenantsUsageQuerySchema.safeParse({ page: '2' }).success).toBe(false);
  });
});
