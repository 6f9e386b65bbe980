import { badTokens } from '@tenant-assistant/testing';
import { type AdminRequest, route } from '../../../test/support/admin-api';
import * as admin from '../../../test/support/tenants-admin';

const routes: AdminRequest[] = [
  route('GET /admin/tenants'),
  { ...route('POST /admin/tenants'), body: admin.acme },
  admin.updateTenant('tenant2', { returnPolicyDays: 1 }),
  admin.tenantAction('suspend', 'tenant2'),
  admin.tenantAction('offboard', 'tenant2', { confirm: 'tenant2' }),
];

describe('tenantsAdmin refusals (nothing is read or written)', () => {
  it.each(routes)('refuses a tenant admin on $routeKey with 403', async (request) => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin', admin.plainSub);

    // Act
    const response = await admin.call({ ...request, token });

    // Assess
    expect(response).toEqual({
      statusCode: 403,
      body: {
        error: { code: 'ADMIN_ROLE_REQUIRED', message: 'This action requires the platform admin role' },
      },
    });
    expect(admin.writes()).toHaveLength(0);
    expect(admin.documentsMock.calls()).toHaveLength(0);
  });

  it.each(routes)('refuses a plain user on $routeKey with 403', async (request) => {
    // Prepare
    const token = await admin.tokenOf('tenant1-user', admin.plainSub);

    // Act
    const response = await admin.call({ ...request, token });

    // Assess
    expect(response.statusCode).toBe(403);
    expect(admin.writes()).toHaveLength(0);
  });

  it.each(routes)('refuses a forged token on $routeKey with 401', async (request) => {
    // Prepare
    const forged = badTokens.algNone({
      sub: admin.platformSub,
      'cognito:username': 'platform-admin',
      tenantId: 'tenant1',
    });

    // Act
    const response = await admin.call({ ...request, token: forged });

    // Assess
    expect(response.statusCode).toBe(401);
    expect(admin.cognitoMock.calls()).toHaveLength(0);
    expect(admin.writes()).toHaveLength(0);
  });

  it.each(routes)('refuses a tenant-less token on $routeKey with 403', async (request) => {
    // Prepare
    const token = await admin.tokenOf('platform-admin', admin.platformSub, null);

    // Act
    const response = await admin.call({ ...request, token });

    // Assess
    expect(response.statusCode).toBe(403);
    expect(admin.cognitoMock.calls()).toHaveLength(0);
    expect(admin.writes()).toHaveLength(0);
  });

  it('refuses a missing token with 401 and a user that no longer exists with 401', async () => {
    // Prepare
    const list = route('GET /admin/tenants');
    const token = await admin.tokenOf('gone', admin.plainSub);

    // Act
    const anonymous = await admin.call(list);
    const deleted = await admin.call({ ...list, token });

    // Assess
    expect(anonymous.statusCode).toBe(401);
    expect(deleted.statusCode).toBe(401);
    expect(admin.writes()).toHaveLength(0);
  });
});
