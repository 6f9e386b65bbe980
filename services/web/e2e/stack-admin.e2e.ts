/**
 * The admin area against the whole local system (one stack start, see support/stack.ts): tenant1's
 * admin invites a user through the UI, who reads the temporary password from the local mailbox,
 * signs in and chats; tenant1's admin sees and changes nothing of tenant2 by UI, URL or API; a
 * platform admin suspends tenant3 and tenant3-user's sign-in is refused with the reason.
 */
import { adminRequest, signIn as apiSignIn, latestTemporaryPassword } from '@tenant-assistant/dev-stack';
import type { Page } from 'playwright-core';
import { ask, configOf, idTokenOf, setNewPassword, signIn } from './support/app';
import { screenshot } from './support/browser';
import { stackSuite } from './support/stack-suite';

const suite = stackSuite();

const usernamesShown = (page: Page) => page.locator('tbody tr th[scope="row"]').allTextContents();

/** A request to the admin API from the page, with the page's own ID token (what a tamperer can do). */
const fetchAsPage = async (page: Page, method: string, path: string, body?: unknown) => {
  const token = await idTokenOf(page);
  const { adminApiUrl } = await configOf(page);
  return page.evaluate(
    async ({ url, method, token, body }) => {
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.text() };
    },
    { url: `${adminApiUrl}${path}`, method, token, body },
  );
};

let tenantAdmin: Page;

describe('admin area against the local stack', () => {
  it("tenant1's admin invites a user in the UI, who reads the temporary password from the local mailbox, signs in and chats", async () => {
    // Prepare
    const admin = await suite.firstSignIn('tenant1-admin');
    tenantAdmin = admin.page;
    // Act
    await tenantAdmin.getByRole('button', { name: 'Admin', exact: true }).click();
    await tenantAdmin.getByRole('heading', { name: 'Users of tenant1' }).waitFor();
    await tenantAdmin.getByRole('row', { name: /^tenant1-user\b/ }).waitFor();
    await tenantAdmin.getByLabel('Username', { exact: true }).fill('tenant1-invitee');
    await tenantAdmin.getByLabel('Email').fill('invitee@tenant1.example');
    await tenantAdmin.getByRole('button', { name: 'Send invitation', exact: true }).click();
    const notice = await tenantAdmin.getByRole('status').filter({ hasText: 'Invitation sent' }).textContent();
    await screenshot(tenantAdmin, 'stack-admin-users');
    const password = latestTemporaryPassword({ dataDir: suite.env.dataDir, username: 'tenant1-invitee' });
    const invitee = await suite.firstSignIn('tenant1-invitee', { password });
    const answer = await ask(invitee.page, 'What is your return policy?');
    // Assess
    expect(notice).toContain('Invitation sent to invitee@tenant1.example');
    expect(password).toBeTruthy();
    expect(await tenantAdmin.locator('body').textContent()).not.toContain(password);
    expect(invitee.who).toBe('Signed in as tenant1-invitee · tenant tenant1');
    expect(answer.text).toMatch(/\b10 days\b/);
    expect([...admin.problems, ...invitee.problems]).toEqual([]);
  });

  it("shows tenant1's admin none of tenant2's users, and refuses a URL or API request naming tenant2", async () => {
    // Act: the UI, and a URL naming tenant2
    await tenantAdmin.goto(`${suite.env.webUrl}/?admin=users&tenant=tenant2`);
    await tenantAdmin.getByRole('heading', { name: 'Users of tenant1' }).waitFor();
    await tenantAdmin.getByRole('row', { name: /^tenant1-invitee\b/ }).waitFor();
    const shown = await usernamesShown(tenantAdmin);
    await tenantAdmin.goto(`${suite.env.webUrl}/?admin=tenants&tenant=tenant2`);
    const refusedScreen = await tenantAdmin
      .getByRole('alert')
      .filter({ hasText: 'administrator role' })
      .textContent();
    // Act: the admin API directly, with tenant1-admin's own token
    const tampered = {
      read: await fetchAsPage(tenantAdmin, 'GET', '/admin/users/tenant2-user'),
      disable: await fetchAsPage(tenantAdmin, 'POST', '/admin/users/tenant2-user/disable'),
      remove: await fetchAsPage(tenantAdmin, 'DELETE', '/admin/users/tenant2-user'),
      invite: await fetchAsPage(tenantAdmin, 'POST', '/admin/users', {
        username: 'planted',
        email: 'planted@example.com',
        tenantId: 'tenant2',
      }),
      tenant: await fetchAsPage(tenantAdmin, 'PATCH', '/admin/tenants/tenant2', { returnPolicyDays: 1 }),
    };
    // Assess: tenant2's admin reads their users back, unchanged
    const tenant2Admin = await apiSignIn(
      suite.env.info,
      'tenant2-admin',
      suite.env.passwordOf('tenant2-admin'),
      suite.env.newPassword,
    );
    const tenant2 = await adminRequest<{ items: { username: string; enabled: boolean }[] }>(
      suite.env.info,
      tenant2Admin,
      'GET',
      '/admin/users',
    );
    expect(shown).toContain('tenant1-user');
    expect(
      shown.filter((username) => !username.startsWith('tenant1-') && username !== 'platform-admin'),
    ).toEqual([]);
    expect(refusedScreen).toContain('does not have the administrator role');
    expect(await tenantAdmin.locator('tbody tr').count()).toBe(0);
    expect(Object.fromEntries(Object.entries(tampered).map(([key, { status }]) => [key, status]))).toEqual({
      read: 404,
      disable: 404,
      remove: 404,
      invite: 400,
      tenant: 403,
    });
    // the same answer as for a user that does not exist: nothing of tenant2-user is revealed
    expect(JSON.parse(tampered.read.body)).toEqual({
      error: { code: 'USER_NOT_FOUND', message: 'User tenant2-user not found' },
    });
    expect(tenant2.body.items.find((user) => user.username === 'tenant2-user')).toMatchObject({
      enabled: true,
    });
    expect(tenant2.body.items.map((user) => user.username)).not.toContain('planted');
  });

  it("lets a platform admin suspend tenant3 in the UI, after which tenant3-user's sign-in is refused with the reason", async () => {
    // Prepare
    const platform = await suite.firstSignIn('platform-admin');
    // Act
    await platform.page.getByRole('button', { name: 'Admin', exact: true }).click();
    await platform.page.getByRole('heading', { name: 'Tenants' }).waitFor();
    await platform.page.getByRole('button', { name: 'Suspend tenant3' }).click();
    await platform.page.getByRole('status').filter({ hasText: 'tenant3 is suspended' }).waitFor();
    const row = await platform.page.getByRole('row', { name: /^tenant3\b/ }).textContent();
    await screenshot(platform.page, 'stack-admin-tenants');
    const tenant2 = await fetchAsPage(platform.page, 'GET', '/admin/tenants/tenant2');
    const user = await (await suite.context()).newPage();
    await user.goto(suite.env.webUrl);
    await signIn(user, 'tenant3-user', suite.env.passwordOf('tenant3-user'));
    const refusal = user.getByRole('alert').filter({ hasText: 'suspended' });
    const newPassword = user.getByRole('heading', { name: 'Choose a new password' });
    await refusal.or(newPassword).first().waitFor();
    if (await newPassword.isVisible()) await setNewPassword(user, suite.env.newPassword);
    const message = await refusal.textContent();
    // Assess
    expect(row).toContain('SUSPENDED');
    expect(message).toContain("your organisation's account is suspended; contact your administrator");
    expect(await user.getByTestId('who').count()).toBe(0);
    // tenant2 is as seeded: tenant1-admin's tampering changed nothing
    expect(JSON.parse(tenant2.body)).toMatchObject({
      tenantId: 'tenant2',
      status: 'ACTIVE',
      returnPolicyDays: 20,
    });
    expect(platform.problems).toEqual([]);
  });
});
