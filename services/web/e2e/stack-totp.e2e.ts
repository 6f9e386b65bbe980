/**
 * Against the running local stack: a user enrols TOTP (secret + QR code) and signs in with a code
 * generated here with otplib.
 */
import { generateSync } from 'otplib';
import type { Browser } from 'playwright-core';
import { enterCode, setNewPassword, signIn, signOut, waitForChat } from './support/app';
import { launchBrowser, newContext, screenshot, watchProblems } from './support/browser';
import { type E2eStack, startE2eStack } from './support/stack';

let env: E2eStack;
let browser: Browser;

beforeAll(async () => {
  [env, browser] = await Promise.all([startE2eStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

/** A code from the next 30-second window, so it is not the one used to enrol (Cognito refuses reuse). */
const nextCode = async (secret: string, used: string): Promise<string> => {
  for (;;) {
    const code = generateSync({ secret });
    if (code !== used) return code;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};

describe('TOTP against the local stack', () => {
  it('enrols TOTP and then signs in with a code from the authenticator', async () => {
    // Prepare
    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(env.webUrl);
    await signIn(page, 'tenant3-user', env.passwordOf('tenant3-user'));
    await setNewPassword(page, env.newPassword);
    await waitForChat(page);

    // Act: enrol
    await page.getByRole('button', { name: 'Authenticator app' }).click();
    const dialog = page.getByRole('dialog', { name: 'Authenticator app' });
    await dialog.getByRole('img', { name: /QR code/ }).waitFor();
    await screenshot(page, 'totp-enrolment');
    const secret = (await dialog.locator('[data-secret]').getAttribute('data-secret')) ?? '';
    const enrolCode = generateSync({ secret });
    await dialog.getByLabel('6-digit code').fill(enrolCode);
    await dialog.getByRole('button', { name: 'Verify and turn on' }).click();
    await dialog.getByText('your next sign-in will ask for a code').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await signOut(page);

    // Act: sign in again — a wrong code is refused, the right one lets the user in
    await signIn(page, 'tenant3-user', env.newPassword);
    await enterCode(page, enrolCode === '000000' ? '111111' : '000000');
    const refusal = await page.getByRole('alert').textContent();
    await screenshot(page, 'totp-challenge');
    await page.getByLabel('6-digit code').fill(await nextCode(secret, enrolCode));
    await page.getByRole('button', { name: 'Verify' }).click();
    const who = await waitForChat(page);

    // Assess
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(refusal).toBe('That code is not right. Check your authenticator app and try again.');
    expect(who).toBe('Signed in as tenant3-user · tenant tenant3');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
