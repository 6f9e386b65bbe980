import { signIn } from '../../src/client';
import { KNOWN_DEV_PASSWORD } from '../../src/seed';
import type { E2eSystem } from './system';

/** auth's admin API for platform admins: roles, tenant changes, suspension, refusals. */
export const adminApiTests = (system: E2eSystem) => {
  const { admin, ask, session, sessions } = system;

  describe('the admin API on the local system', () => {
    const tenant = (tenantId: string) =>
      admin<{ returnPolicyDays: number; status: string }>(
        sessions.get('platform-admin'),
        'GET',
        `/admin/tenants/${tenantId}`,
      );

    beforeAll(async () => {
      await session('platform-admin');
    });

    test('tells the web UI who is an admin', async () => {
      // Act
      const platform = await admin('platform-admin', 'GET', '/admin/me');
      const tenantAdmin = await admin('tenant1-admin', 'GET', '/admin/me');
      const user = await admin('tenant1-user', 'GET', '/admin/me');

      // Assess
      expect(platform.body).toEqual({
        username: 'platform-admin',
        tenantId: 'tenant1',
        roles: { platformAdmin: true, tenantAdmin: false },
      });
      expect(tenantAdmin.body).toMatchObject({ roles: { platformAdmin: false, tenantAdmin: true } });
      expect(user.body).toMatchObject({ roles: { platformAdmin: false, tenantAdmin: false } });
    });

    test('a platform admin changes a return policy and the assistant answers with the new one', async () => {
      // Act
      const updated = await admin('platform-admin', 'PATCH', '/admin/tenants/tenant2', {
        returnPolicyDays: 25,
      });

      // Assess
      expect(updated.status).toBe(200);
      try {
        // TenantUpdated reaches order-action-group asynchronously, as EventBridge delivers it.
        await system.stack.eventBridge.drain();
        const answer = await ask('tenant2-user', 'What is your return policy?');
        expect(answer.text).toContain('25 days');
      } finally {
        await admin('platform-admin', 'PATCH', '/admin/tenants/tenant2', {
          returnPolicyDays: 20,
        });
      }
      expect((await ask('tenant2-user', 'What is your return policy?')).text).toContain('20 days');
    });

    test('a suspended tenant’s users are refused at sign-in with a clear message, and admitted again on resume', async () => {
      // Act
      const suspended = await admin('platform-admin', 'POST', '/admin/tenants/tenant3/suspend');
      const refused = await signIn(system.stack.info, 'tenant3-user', KNOWN_DEV_PASSWORD).catch(
        (error: unknown) => error,
      );
      const resumed = await admin('platform-admin', 'POST', '/admin/tenants/tenant3/resume');
      const admitted = await signIn(system.stack.info, 'tenant3-user', KNOWN_DEV_PASSWORD);

      // Assess
      expect(suspended.status).toBe(200);
      expect((refused as Error).message).toContain("your organisation's account is suspended");
      expect(resumed.status).toBe(200);
      expect(admitted.idToken).toBeTruthy();
      expect((await tenant('tenant3')).body.status).toBe('ACTIVE');
    });

    test.each([
      ['a tenant admin', 'tenant1-admin'],
      ['a plain user', 'tenant1-user'],
    ])('refuses %s on every platform route with 403 and changes nothing', async (_, username) => {
      // Prepare
      const caller = await session(username);
      const before = (await tenant('tenant2')).body;

      // Act
      const answers = [];
      for (const [method, path, body] of [
        ['GET', '/admin/tenants'],
        ['PATCH', '/admin/tenants/tenant2', { returnPolicyDays: 1 }],
        ['POST', '/admin/tenants/tenant2/suspend'],
        [
          'POST',
          '/admin/tenants',
          {
            tenantId: 'sneaky',
            name: 'Sneaky',
            returnPolicyDays: 1,
            tier: 'basic',
            firstAdmin: { username: 'sneaky-admin', email: 'a@sneaky.test' },
          },
        ],
      ] as const) {
        answers.push(await admin(caller, method, path, body));
      }

      // Assess
      for (const answer of answers) {
        expect(answer.status).toBe(403);
        expect(answer.body).toEqual({
          error: { code: 'ADMIN_ROLE_REQUIRED', message: 'This action requires the platform admin role' },
        });
      }
      expect((await tenant('tenant2')).body).toEqual(before);
      expect((await tenant('sneaky')).status).toBe(404);
    });

    test('refuses a forged or missing token with 401', async () => {
      // Prepare
      const real = await session('tenant1-user');
      const [header, payload, signature] = real.idToken.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, 'cognito:username': 'platform-admin' })).toString('base64url')}.${signature}`;

      // Act
      const withForged = await admin({ idToken: forged }, 'GET', '/admin/tenants');
      const withNone = await admin(undefined, 'GET', '/admin/tenants');

      // Assess
      expect(withForged.status).toBe(401);
      expect(withNone.status).toBe(401);
    });
  });
};
