import { expectError } from '../../../test/support/http';
import { ddb, request } from '../../../test/support/usage-api';

describe('getUsage handler refusals', () => {
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
