/**
 * The admin area in a real browser against fakes of Cognito, chat-api and auth's admin API
 * (Playwright routes), served by `vite preview` with the production CSP. Needs `pnpm run build` and
 * /usr/bin/chromium; no stack.
 */
import type { Browser, Page } from 'playwright-core';
import { ask, setNewPassword, signIn, signOut, waitForChat } from './support/app';
import { launchBrowser, newContext, screenshot, watchProblems } from './support/browser';
import { fakeAdmin, fakeTenant, installFakeAdminApi } from './support/fake-admin';
import { type FakeUser, fakeUser, installFakeBackend } from './support/fake-backend';
import { FAKE_CONFIG, FAKE_NEW_PASSWORD } from './support/fake-config';
import { startPreview } from './support/preview';

let preview: Awaited<ReturnType<typeof startPreview>>;
let browser: Browser;

beforeAll(async () => {
  [preview, browser] = await Promise.all([startPreview(FAKE_CONFIG), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

/** tenant1's users: the admin, 21 more (two pages of 20) — and tenant2's, which tenant1 must never see. */
const tenant1Users = () =>
  Array.from({ length: 21 }, (_, index) => fakeUser(`t1-user${String(index).padStart(2, '0')}`, 'tenant1'));

const open = async (
  signedInAs: FakeUser,
  others: FakeUser[],
  options: { size?: 'phone' | 'desktop'; delayMs?: number; tenants?: ReturnType<typeof fakeTenant>[] } = {},
) => {
  const context = await newContext(browser, options.size ?? 'desktop');
  const users = [signedInAs, ...others];
  await installFakeBackend(context, {
    cognitoOrigin: FAKE_CONFIG.cognitoEndpoint,
    apiUrl: FAKE_CONFIG.apiUrl,
    webSocketUrl: FAKE_CONFIG.webSocketUrl,
    users,
    reply: (_prompt, user) => ({ chunks: [`Returns within ${user.tenantId === 'tenant1' ? 10 : 20} days.`] }),
    chunkDelayMs: 20,
  });
  const admin = await installFakeAdminApi(context, {
    adminApiUrl: FAKE_CONFIG.adminApiUrl,
    users,
    tenants: options.tenants ?? [fakeTenant('tenant1', 10), fakeTenant('tenant2', 20)],
    ...(options.delayMs ? { delayMs: options.delayMs } : {}),
  });
  const page: Page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(preview.url);
  await signIn(page, signedInAs.username, signedInAs.password);
  await setNewPassword(page, FAKE_NEW_PASSWORD);
  await waitForChat(page);
  return { context, page, admin, users, problems };
};

const row = (page: Page, name: string) => page.getByRole('row', { name: new RegExp(`^${name}\\b`) });

describe('admin area (fake backend)', () => {
  it('offers a plain user neither Usage nor Admin, and an admin screen opened by URL shows the refusal and no users', async () => {
    // Prepare
    const { page, context, admin, problems } = await open(
      fakeUser('tenant1-user', 'tenant1'),
      [fakeUser('tenant1-other', 'tenant1')],
      { size: 'phone' },
    );
    // Act
    const buttons = await page
      .getByRole('navigation', { name: 'Account' })
      .getByRole('button')
      .allTextContents();
    await page.goto(`${preview.url}/?admin=users`);
    const alert = await page.getByRole('alert').filter({ hasText: 'administrator role' }).textContent();
    // Assess
    expect(buttons).not.toContain('Usage');
    expect(buttons).not.toContain('Admin');
    expect(alert).toBe(
      'Your account does not have the administrator role for this. Sign out and in again if it was just changed.',
    );
    expect(await page.getByRole('row').count()).toBe(0);
    expect(admin.seen).toEqual(['GET /admin/users?limit=20']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("lists only the tenant admin's own users, page by page, and invites one who then signs in and chats", async () => {
    // Prepare
    const tenantAdmin = fakeAdmin('tenant1-admin', 'tenant1', 'tenant');
    const { page, context, admin, problems } = await open(tenantAdmin, [
      ...tenant1Users(),
      fakeUser('tenant2-user', 'tenant2'),
      fakeAdmin('tenant2-admin', 'tenant2', 'tenant'),
    ]);
    // Act: the first page, the next, back to the first
    await page.getByRole('button', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Users of tenant1' }).waitFor();
    await row(page, 't1-user00').waitFor();
    const firstPage = await page.locator('tbody tr').count();
    await page.getByRole('button', { name: 'Next page' }).click();
    await row(page, 't1-user19').waitFor();
    const secondPage = await page.locator('tbody tr').allTextContents();
    await page.getByRole('button', { name: 'First page' }).click();
    await row(page, 't1-user00').waitFor();
    // Act: invite
    await page.getByLabel('Username', { exact: true }).fill('ann');
    await page.getByLabel('Email').fill('ann@tenant1.example');
    await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
    const notice = await page.getByRole('status').filter({ hasText: 'Invitation sent' }).textContent();
    const annRow = await row(page, 'ann').textContent();
    await screenshot(page, 'fake-admin-users');
    const mail = admin.mailbox.find((message) => message.username === 'ann');
    // Assess
    expect(firstPage).toBe(20);
    expect(secondPage).toHaveLength(2);
    expect(page.url()).toContain('?admin=users');
    expect(notice).toBe(
      'Invitation sent to ann@tenant1.example: ann signs in with the temporary password in it.',
    );
    expect(annRow).toContain('Invited (has not signed in yet)');
    expect(mail?.temporaryPassword).toBeTruthy();
    expect(await page.locator('body').textContent()).not.toContain(mail?.temporaryPassword);
    expect(admin.seen.filter((call) => /tenant2/.test(call))).toEqual([]);
    expect(await page.getByText('tenant2-user').count()).toBe(0);
    // Act: back to the chat (the admin screen leaves the URL), then ann signs in with the mailed password and chats
    await page.getByRole('button', { name: 'Usage', exact: true }).click();
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    const usageSearch = new URL(page.url()).search;
    await page.getByRole('button', { name: 'Back to the chat' }).click();
    await page.getByLabel('Your question').waitFor();
    expect(usageSearch).toBe('');
    await signOut(page);
    await page.goto(preview.url);
    await signIn(page, 'ann', mail?.temporaryPassword ?? '');
    await setNewPassword(page, FAKE_NEW_PASSWORD);
    const who = await waitForChat(page);
    const answer = await ask(page, 'What is your return policy?');
    // Assess
    expect(who).toBe('Signed in as ann · tenant tenant1');
    expect(answer.text).toContain('10 days');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('disables, enables, grants and revokes admin, resets MFA, resends, deletes after confirming — one request at a time', async () => {
    // Prepare: every answer takes 150 ms, so the buttons can be seen disabled
    const tenantAdmin = fakeAdmin('tenant1-admin', 'tenant1', 'tenant');
    const bob = fakeUser('bob', 'tenant1');
    const { page, context, admin, problems } = await open(tenantAdmin, [bob], { delayMs: 150 });
    await page.goto(`${preview.url}/?admin=users`);
    await row(page, 'bob').waitFor();
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const done = (text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();
    // Act
    await button('Disable bob').click();
    const whileInFlight = await Promise.all([
      button('Disable bob').isDisabled(),
      button('Send invitation').isDisabled(),
      button('Delete bob').isDisabled(),
    ]);
    await done('bob is disabled');
    const disabledRow = await row(page, 'bob').textContent();
    await button('Enable bob').click();
    await done('bob is enabled');
    await button('Make admin bob').click();
    await done('bob is now a tenant admin');
    const adminRow = await row(page, 'bob').textContent();
    await button('Revoke admin of bob').click();
    await done('bob is no longer a tenant admin');
    await button('Reset MFA of bob').click();
    await done("bob's authenticator app was reset");
    await button('Resend invitation to bob').click();
    await done('A new invitation was sent');
    await button('Disable tenant1-admin').click();
    const refused = await page.getByRole('alert').filter({ hasText: 'your own account' }).textContent();
    await button('Delete bob').click();
    await button('Keep').click();
    const keptRow = await row(page, 'bob').count();
    await button('Delete bob').click();
    await page
      .getByRole('group', { name: 'Delete bob?' })
      .getByRole('button', { name: 'Yes, delete' })
      .click();
    await done('bob was deleted');
    // Assess
    expect(whileInFlight).toEqual([true, true, true]);
    expect(disabledRow).toContain('Disabled');
    expect(adminRow).toContain('Tenant admin');
    expect(refused).toBe('You cannot disable your own account.');
    expect(keptRow).toBe(1);
    expect(await row(page, 'bob').count()).toBe(0);
    expect(admin.seen.filter((call) => !call.startsWith('GET'))).toEqual([
      'POST /admin/users/bob/disable',
      'POST /admin/users/bob/enable',
      'POST /admin/users/bob/roles',
      'DELETE /admin/users/bob/roles/tenant-admin',
      'POST /admin/users/bob/reset-mfa',
      'POST /admin/users/bob/resend-invitation',
      'POST /admin/users/tenant1-admin/disable',
      'DELETE /admin/users/bob',
    ]);
    expect(admin.mailbox.filter((message) => message.username === 'bob')).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets a platform admin page through tenants, create one with its first admin, edit, suspend and resume it', async () => {
    // Prepare: 21 tenants, two pages
    const platformAdmin = fakeAdmin('platform-admin', 'tenant1', 'platform');
    const tenants = Array.from({ length: 21 }, (_, index) =>
      fakeTenant(`tenant${String(index).padStart(2, '0')}`),
    );
    const { page, context, admin, problems } = await open(platformAdmin, [], { tenants });
    // Act
    await page.getByRole('button', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    await row(page, 'tenant00').waitFor();
    const firstPage = await page.locator('tbody tr').count();
    await page.getByRole('button', { name: 'Next page' }).click();
    await row(page, 'tenant20').waitFor();
    const secondPage = await page.locator('tbody tr').count();
    await page.getByLabel('Tenant id', { exact: true }).fill('acme');
    await page.getByLabel('Name', { exact: true }).fill('Acme Corp');
    await page.getByLabel('Return policy (days)').fill('14');
    await page.getByLabel('Tier').selectOption('premium');
    await page.getByLabel("First admin's username").fill('acme-boss');
    await page.getByLabel("First admin's email").fill('boss@acme.example');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('status').filter({ hasText: 'Tenant acme was created' }).waitFor();
    const created = await row(page, 'acme').textContent();
    await page.getByRole('button', { name: 'Edit acme', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit acme' });
    await form.getByLabel('Name', { exact: true }).fill('Acme Ltd');
    await form.getByLabel('Return policy (days)').fill('21');
    await form.getByLabel('Tier').selectOption('enterprise');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Tenant acme was saved' }).waitFor();
    const edited = await row(page, 'acme').textContent();
    await page.getByRole('button', { name: 'Suspend acme' }).click();
    await page.getByRole('status').filter({ hasText: 'acme is suspended' }).waitFor();
    const suspended = await row(page, 'acme').textContent();
    await page.getByRole('button', { name: 'Resume acme' }).click();
    await page.getByRole('status').filter({ hasText: 'acme is active again' }).waitFor();
    await screenshot(page, 'fake-admin-tenants');
    // Assess
    expect(firstPage).toBe(20);
    expect(secondPage).toBe(1);
    expect(created).toContain('Acme Corp');
    expect(created).toContain('14 days');
    expect(created).toContain('premium');
    expect(edited).toContain('Acme Ltd');
    expect(edited).toContain('21 days');
    expect(edited).toContain('enterprise');
    expect(suspended).toContain('SUSPENDED');
    expect(admin.bodies.map(({ call, body }) => [call, body])).toEqual([
      [
        'POST /admin/tenants',
        {
          tenantId: 'acme',
          name: 'Acme Corp',
          returnPolicyDays: 14,
          tier: 'premium',
          firstAdmin: { username: 'acme-boss', email: 'boss@acme.example' },
        },
      ],
      ['PATCH /admin/tenants/acme', { name: 'Acme Ltd', returnPolicyDays: 21, tier: 'enterprise' }],
    ]);
    expect(admin.mailbox.map((message) => message.username)).toEqual(['acme-boss']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offboards a tenant only once its id is typed again, sending it as the confirmation', async () => {
    // Prepare
    const platformAdmin = fakeAdmin('platform-admin', 'tenant1', 'platform');
    const { page, context, admin, problems } = await open(platformAdmin, [], {
      tenants: [fakeTenant('tenant1'), fakeTenant('tenant3')],
    });
    await page.goto(`${preview.url}/?admin=tenants`);
    await row(page, 'tenant3').waitFor();
    const confirmButton = page.getByRole('button', { name: 'Offboard tenant3 for good' });
    // Act
    await page.getByRole('button', { name: 'Offboard tenant3', exact: true }).click();
    const field = page.getByLabel('Tenant id to offboard');
    const untyped = await confirmButton.isDisabled();
    await field.fill('tenant');
    const partly = await confirmButton.isDisabled();
    await field.fill('tenant1');
    const other = await confirmButton.isDisabled();
    await field.fill('tenant3');
    const typed = await confirmButton.isDisabled();
    await confirmButton.click();
    await page.getByRole('status').filter({ hasText: 'Offboarding of tenant3 has begun' }).waitFor();
    // Assess
    expect([untyped, partly, other, typed]).toEqual([true, true, true, false]);
    expect(await row(page, 'tenant3').textContent()).toContain('OFFBOARDING');
    expect(admin.bodies).toEqual([
      { call: 'POST /admin/tenants/tenant3/offboard', body: { confirm: 'tenant3' } },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
