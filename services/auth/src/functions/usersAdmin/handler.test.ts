import * as idp from '@aws-sdk/client-cognito-identity-provider';
import { captureOutput } from '@tenant-assistant/testing';
import { callAdmin, route } from '../../../test/support/admin-api';
import * as admin from '../../../test/support/users-admin';
import { logger } from '../../logger';

describe('usersAdmin', () => {
  it("lists the users of the caller's own tenant only, with their admin flag", async () => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    const response = await admin.call({ ...route('GET /admin/users'), token });

    // Assess
    expect(response.statusCode).toBe(200);
    const items = response.body.items as { username: string; tenantAdmin: boolean }[];
    expect(items.map((u) => u.username).sort()).toEqual([
      'tenant1-admin',
      'tenant1-new',
      'tenant1-odd',
      'tenant1-user',
    ]);
    expect(items.find((u) => u.username === 'tenant1-admin')?.tenantAdmin).toBe(true);
    expect(admin.cognitoMock.commandCalls(idp.ListUsersInGroupCommand)[0]?.args[0].input.GroupName).toBe(
      'tenant-tenant1',
    );
  });

  it('invites a user into the caller’s tenant through Cognito’s invitation, returning and logging no password', async () => {
    // Prepare
    const real = await admin.usersAdminHandler(logger);
    const token = await real.issuer.idToken({
      sub: admin.users['tenant1-admin']?.sub,
      username: 'tenant1-admin',
      tenantId: 'tenant1',
    });

    // Act
    const { result, output } = await captureOutput(() =>
      callAdmin(real.handler, {
        ...route('POST /admin/users'),
        token,
        body: { username: 'tenant1-new', email: 'new@example.com' },
      }),
    );

    // Assess
    expect(result.statusCode).toBe(201);
    const input = admin.cognitoMock.commandCalls(idp.AdminCreateUserCommand)[0]?.args[0].input;
    expect(input?.UserAttributes).toContainEqual({ Name: 'custom:tenantId', Value: 'tenant1' });
    expect(input?.TemporaryPassword).toBeUndefined();
    expect(input?.MessageAction).toBeUndefined();
    expect(input?.DesiredDeliveryMediums).toEqual(['EMAIL']);
    expect(Object.keys(result.body)).toEqual([
      'username',
      'userId',
      'email',
      'status',
      'enabled',
      'createdAt',
      'tenantAdmin',
    ]);
    expect(output).toContain('Tenant user invited');
    expect(output).not.toMatch(/temporary ?password/i);
  });

  it('resends an invitation only to a user who has not signed in', async () => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    const pending = await admin.call({ ...admin.onUser('POST', '/resend-invitation', 'tenant1-new'), token });
    const signedIn = await admin.call({
      ...admin.onUser('POST', '/resend-invitation', 'tenant1-user'),
      token,
    });

    // Assess
    expect(pending.statusCode).toBe(200);
    expect(admin.cognitoMock.commandCalls(idp.AdminCreateUserCommand)[0]?.args[0].input).toMatchObject({
      Username: 'tenant1-new',
      MessageAction: 'RESEND',
    });
    expect(signedIn.statusCode).toBe(409);
  });

  it.each([
    ['disables', 'POST', '/disable', idp.AdminDisableUserCommand],
    ['enables', 'POST', '/enable', idp.AdminEnableUserCommand],
    ['deletes', 'DELETE', '', idp.AdminDeleteUserCommand],
    ['resets the MFA of', 'POST', '/reset-mfa', idp.AdminSetUserMFAPreferenceCommand],
  ])('%s a user of the caller’s tenant', async (_, method, suffix, command) => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    const response = await admin.call({ ...admin.onUser(method, suffix, 'tenant1-user'), token });

    // Assess
    expect([200, 204]).toContain(response.statusCode);
    expect(admin.cognitoMock.commandCalls(command as never)[0]?.args[0].input).toMatchObject({
      Username: 'tenant1-user',
    });
  });

  it('turns TOTP off on reset-mfa so the user enrols again', async () => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    await admin.call({ ...admin.onUser('POST', '/reset-mfa', 'tenant1-user'), token });

    // Assess
    expect(
      admin.cognitoMock.commandCalls(idp.AdminSetUserMFAPreferenceCommand)[0]?.args[0].input
        .SoftwareTokenMfaSettings,
    ).toEqual({
      Enabled: false,
      PreferredMfa: false,
    });
  });

  it('grants and revokes tenant admin in the caller’s tenant only', async () => {
    // Prepare
    const token = await admin.tokenOf('tenant1-admin');

    // Act
    const granted = await admin.call({ ...admin.grantRole('tenant1-user', 'tenant-admin'), token });
    const revoked = await admin.call({ ...admin.revokeAdmin('tenant1-user'), token });

    // Assess
    expect(granted.statusCode).toBe(200);
    expect(revoked.statusCode).toBe(200);
    expect(admin.cognitoMock.commandCalls(idp.AdminAddUserToGroupCommand)[0]?.args[0].input.GroupName).toBe(
      'admin-tenant1',
    );
    expect(
      admin.cognitoMock.commandCalls(idp.AdminRemoveUserFromGroupCommand)[0]?.args[0].input.GroupName,
    ).toBe('admin-tenant1');
  });
});
