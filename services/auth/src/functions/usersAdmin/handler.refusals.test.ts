import { ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { badTokens } from '@tenant-assistant/testing';
import { route } from '../../../test/support/admin-api';
import * as admin from '../../../test/support/users-admin';

describe('usersAdmin refusals (nothing is changed)', () => {
  it.each(admin.everyRoute('tenant2-user').filter((request) => request.routeKey.includes('{username}')))(
    "answers 404 to a tenant admin naming another tenant's user on $routeKey",
    async (request) => {
      // Prepare
      const token = await admin.tokenOf('tenant1-admin');

      // Act
      const response = await admin.call({ ...request, token });

      // Assess
      expect(response).toEqual({
        statusCode: 404,
        body: { error: { code: 'USER_NOT_FOUND', message: 'User tenant2-user not found' } },
      });
      expect(admin.writes()).toHaveLength(0);
    },
  );

  it.each(admin.everyRoute('tenant1-user'))('refuses a plain user on $routeKey with 403', async (request) => {
    // Prepare
    const token = await admin.tokenOf('tenant1-user');

    // Act
    const response = await admin.call({ ...request, token });

    // Assess
    expect(response.statusCode).toBe(403);
    expect((response.body.error as { code: string }).code).toBe('ADMIN_ROLE_REQUIRED');
    expect(admin.writes()).toHaveLength(0);
  });

  it('refuses a member of another tenant’s admin group: their own tenant’s admin group is what counts', async () => {
    // Prepare
    const token = await admin.tokenOf('tenant1-odd');

    // Act
    const response = await admin.call({ ...admin.onUser('POST', '/disable', 'tenant2-user'), token });

    // Assess
    expect(response.statusCode).toBe(403);
    expect(admin.writes()).toHaveLength(0);
  });

  it('refuses a tenant named in the query (400): the token’s tenant is the only one', async () => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    const response = await admin.call({
      ...route('GET /admin/users'),
      token,
      queryStringParameters: { tenantId: 'tenant2' },
    });

    // Assess
    expect(response.statusCode).toBe(400);
    expect(admin.cognitoMock.commandCalls(ListUsersInGroupCommand)).toHaveLength(0);
  });

  it('refuses a tenant admin granting anyone, themselves included, platform admin (403)', async () => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    const response = await admin.call({ ...admin.grantRole('tenant1-admin', 'platform-admin'), token });

    // Assess
    expect(response).toEqual({
      statusCode: 403,
      body: {
        error: {
          code: 'ROLE_NOT_GRANTABLE',
          message: 'The platform admin role cannot be granted through the admin API',
        },
      },
    });
    expect(admin.writes()).toHaveLength(0);
  });

  it.each([
    ['disable', admin.onUser('POST', '/disable', 'tenant1-admin')],
    ['delete', admin.onUser('DELETE', '', 'tenant1-admin')],
    ['revoke', admin.revokeAdmin('tenant1-admin')],
  ])('refuses a tenant admin who would %s themselves (409)', async (_, request) => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    const response = await admin.call({ ...request, token });

    // Assess
    expect(response.statusCode).toBe(409);
    expect(admin.writes()).toHaveLength(0);
  });

  it.each(admin.everyRoute('tenant1-user'))(
    'refuses forged and tenant-less tokens on $routeKey',
    async (request) => {
      // Prepare
      const forged = badTokens.algNone({
        sub: admin.users['tenant1-admin']?.sub,
        'cognito:username': 'tenant1-admin',
        tenantId: 'tenant1',
      });
      const tenantless = await admin.tokenOf('tenant1-admin', null);

      // Act
      const withForged = await admin.call({ ...request, token: forged });
      const withoutTenant = await admin.call({ ...request, token: tenantless });

      // Assess
      expect(withForged.statusCode).toBe(401);
      expect(withoutTenant.statusCode).toBe(403);
      expect(admin.writes()).toHaveLength(0);
    },
  );
});
