import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TestSystem } from '../support/system';
import { cognito, documents, type Invocations } from './support';

/** auth's functions as `./scripts/invoke-local` runs them. */
export const authTests = (system: TestSystem, invocations: Invocations) => {
  test('auth: preTokenGeneration adds the seeded tenant to both tokens', () => {
    // Act
    const { response } = invocations.result(
      'auth',
      'preTokenGeneration',
      'events/pre-token-generation.json',
    ) as {
      response: {
        response: { claimsAndScopeOverrideDetails: Record<string, { claimsToAddOrOverride: unknown }> };
      };
    };

    // Assess
    const claims = { claimsToAddOrOverride: { tenantId: 'tenant1', tenantRole: 'tenant-tenant1' } };
    expect(response.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: claims,
      accessTokenGeneration: claims,
    });
  });

  test('auth: onboardTenant onboards tenant4, and order-action-group provisions it from the event', async () => {
    // Act
    const { response } = invocations.result('auth', 'onboardTenant', 'events/onboard-tenant.json');
    const { Item } = await documents(system).send(
      new GetCommand({ TableName: system.stack.info.tenantConfigTableName, Key: { tenantId: 'tenant4' } }),
    );

    // Assess
    expect(response).toEqual({
      tenant: { tenantId: 'tenant4', name: 'Tenant Four', returnPolicyDays: 10, tier: 'standard' },
      groupName: 'tenant-tenant4',
      created: true,
    });
    expect(Item).toMatchObject({ tenantId: 'tenant4', returnPolicyDays: 10 });
  });

  test('auth: createTenantUser creates tenant4-user in tenant4', async () => {
    // Act
    const { response } = invocations.result('auth', 'createTenantUser', 'events/create-tenant-user.json');
    const user = await cognito(system).send(
      new AdminGetUserCommand({ UserPoolId: system.stack.info.userPoolId, Username: 'tenant4-user' }),
    );

    // Assess
    expect(response).toMatchObject({ username: 'tenant4-user', tenantId: 'tenant4' });
    expect(user.UserAttributes).toContainEqual({ Name: 'custom:tenantId', Value: 'tenant4' });
  });

  test('auth: adminMe tells a tenant admin their roles', () => {
    // Act
    const { statusCode, body } = invocations.http('auth', 'adminMe', 'events/admin-me.json', 'tenant1-admin');

    // Assess
    expect(statusCode).toBe(200);
    expect(body).toEqual({
      username: 'tenant1-admin',
      tenantId: 'tenant1',
      roles: { platformAdmin: false, tenantAdmin: true },
    });
  });

  test('auth: tenantsAdmin gives a platform admin the seeded tenant1', () => {
    // Act
    const { statusCode, body } = invocations.http(
      'auth',
      'tenantsAdmin',
      'events/get-tenant.json',
      'platform-admin',
    );

    // Assess
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({
      tenantId: 'tenant1',
      name: 'Tenant One',
      status: 'ACTIVE',
      returnPolicyDays: 10,
    });
  });

  test('auth: usersAdmin lists the tenant admin’s own tenant only', () => {
    // Act
    const { statusCode, body } = invocations.http(
      'auth',
      'usersAdmin',
      'events/list-users.json',
      'tenant1-admin',
    );
    const usernames = JSON.stringify(body);

    // Assess
    expect(statusCode).toBe(200);
    for (const own of ['tenant1-user', 'tenant1-user2', 'tenant1-admin'])
      expect(usernames).toContain(`"${own}"`);
    expect(usernames).not.toContain('tenant2-');
  });

  test('auth: offboardingReports ignores a report for a tenant that is not being offboarded', () => {
    // Act
    const { response } = invocations.result('auth', 'offboardingReports', 'events/offboarding-report.json');

    // Assess
    expect(response).toEqual({ tenantId: 'tenant3', status: 'ACTIVE' });
  });
};
