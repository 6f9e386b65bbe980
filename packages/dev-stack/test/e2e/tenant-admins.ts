import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { signIn } from '../../src/client';
import { latestTemporaryPassword } from '../../src/mailbox';
import { KNOWN_DEV_PASSWORD } from '../../src/seed';
import type { E2eSystem } from './system';

/** auth's user routes for tenant admins: invitations, their own tenant only, disabling users. */
export const tenantAdminTests = (system: E2eSystem) => {
  const { adminClients, ask, session, sessions } = system;

  describe('tenant admins on the local system', () => {
    const NEW_PASSWORD = 'Invited-User-Passw0rd!';

    test('a tenant admin invites a user, who finds the invitation in the local mailbox, signs in and chats', async () => {
      // Prepare
      const admin = await session('tenant1-admin');

      // Act
      const invited = await system.admin(admin, 'POST', '/admin/users', {
        username: 'tenant1-invited',
        email: 'invited@example.com',
      });
      const resent = await system.admin(admin, 'POST', '/admin/users/tenant1-invited/resend-invitation');
      const password = latestTemporaryPassword({ dataDir: system.dataDir, username: 'tenant1-invited' });
      const user = await signIn(system.stack.info, 'tenant1-invited', password ?? '', NEW_PASSWORD);
      sessions.set('tenant1-invited', user);
      const answer = await ask('tenant1-invited', 'What is your return policy?');

      // Assess
      expect(invited.status).toBe(201);
      expect(JSON.stringify(invited.body)).not.toContain(password);
      expect(resent.status).toBe(200);
      expect(password).toBeTruthy();
      expect(answer.text).toContain('10 days');
      const listed = await system.admin<{ items: { username: string; status: string }[] }>(
        admin,
        'GET',
        '/admin/users',
      );
      expect(listed.body.items.find((u) => u.username === 'tenant1-invited')?.status).toBe('CONFIRMED');
    });

    test("a tenant admin sees only their own tenant's users and cannot touch another tenant's, by URL or body", async () => {
      // Prepare
      const admin = await session('tenant1-admin');
      const { cognito } = adminClients();

      // Act
      const listed = await system.admin<{ items: { username: string }[] }>(
        admin,
        'GET',
        '/admin/users?limit=60',
      );
      // one at a time: concurrent requests would each start a cold local Lambda worker
      const answers = [];
      for (const [method, path, body] of [
        ['GET', '/admin/users/tenant2-user'],
        ['POST', '/admin/users/tenant2-user/disable'],
        ['DELETE', '/admin/users/tenant2-user'],
        ['POST', '/admin/users/tenant2-admin/roles', { role: 'tenant-admin' }],
        ['DELETE', '/admin/users/tenant2-admin/roles/tenant-admin'],
      ] as const) {
        answers.push(await system.admin(admin, method, path, body));
      }
      const smuggled = await system.admin(admin, 'POST', '/admin/users', {
        username: 'smuggled',
        email: 's@example.com',
        tenantId: 'tenant2',
      });

      // Assess
      const names = listed.body.items.map((u) => u.username);
      expect(names).toEqual(expect.arrayContaining(['tenant1-user', 'tenant1-user2', 'tenant1-admin']));
      expect(names.filter((name) => !name.startsWith('tenant1-') && name !== 'platform-admin')).toEqual([]);
      expect(answers.map((answer) => [answer.status, answer.body])).toEqual(
        answers.map(() => [
          404,
          { error: { code: 'USER_NOT_FOUND', message: expect.stringMatching(/^User tenant2-/) } },
        ]),
      );
      expect(smuggled.status).toBe(400);
      const tenant2User = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: system.stack.info.userPoolId, Username: 'tenant2-user' }),
      );
      expect(tenant2User.Enabled).toBe(true);
      expect((await signIn(system.stack.info, 'tenant2-admin', KNOWN_DEV_PASSWORD)).idToken).toBeTruthy();
      const tenant2Admin = await system.admin('tenant2-admin', 'GET', '/admin/me');
      expect(tenant2Admin.body).toMatchObject({ roles: { tenantAdmin: true } });
      await expect(
        cognito.send(
          new AdminGetUserCommand({ UserPoolId: system.stack.info.userPoolId, Username: 'smuggled' }),
        ),
      ).rejects.toThrow();
    });

    test('a tenant admin cannot make themselves a platform admin, and a plain user cannot use the user routes', async () => {
      // Act
      const grant = await system.admin('tenant1-admin', 'POST', '/admin/users/tenant1-admin/roles', {
        role: 'platform-admin',
      });
      const plain = await system.admin('tenant1-user', 'GET', '/admin/users');
      const me = await system.admin('tenant1-admin', 'GET', '/admin/me');

      // Assess
      expect(grant.status).toBe(403);
      expect(plain.status).toBe(403);
      expect(me.body).toMatchObject({ roles: { platformAdmin: false, tenantAdmin: true } });
    });

    test('a disabled user cannot sign in until enabled again; reset-mfa is accepted', async () => {
      // Prepare
      const admin = await session('tenant1-admin');

      // Act
      const disabled = await system.admin(admin, 'POST', '/admin/users/tenant1-user2/disable');
      const refused = await signIn(system.stack.info, 'tenant1-user2', KNOWN_DEV_PASSWORD).catch(
        (error: unknown) => error,
      );
      const enabled = await system.admin(admin, 'POST', '/admin/users/tenant1-user2/enable');
      const mfa = await system.admin(admin, 'POST', '/admin/users/tenant1-user2/reset-mfa');
      const admitted = await signIn(system.stack.info, 'tenant1-user2', KNOWN_DEV_PASSWORD);

      // Assess
      expect(disabled.status).toBe(200);
      expect(refused).toBeInstanceOf(Error);
      expect(enabled.status).toBe(200);
      expect(mfa.status).toBe(200);
      expect(admitted.idToken).toBeTruthy();
    });
  });
};
