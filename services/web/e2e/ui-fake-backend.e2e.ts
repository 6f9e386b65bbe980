/**
 * The UI in a real browser against a fake Cognito and chat-api (Playwright routes), served by
 * `vite preview` with the production CSP. Needs `pnpm run build` and /usr/bin/chromium; no stack.
 */

import type { TenantUsageView } from '@tenant-assistant/contracts/http';
import { generateSync } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ask, enterCode, setNewPassword, signIn, signOut, waitForChat } from './support/app';
import { launchBrowser, newContext, screenshot, watchProblems } from './support/browser';
import { fakeAdmin } from './support/fake-admin';
import { type FakeReply, type FakeUser, fakeUser, installFakeBackend } from './support/fake-backend';
import { FAKE_CONFIG, FAKE_NEW_PASSWORD } from './support/fake-config';
import { startPreview } from './support/preview';

const CONFIG = FAKE_CONFIG;
const NEW_PASSWORD = FAKE_NEW_PASSWORD;

/** Prompts that already stalled once (the next try is answered). */
const stalled = new Set<string>();

const reply = (prompt: string, user: FakeUser): FakeReply => {
  if (/never answers/i.test(prompt) && !stalled.has(`${user.sub}:${prompt}`)) {
    stalled.add(`${user.sub}:${prompt}`);
    return { stall: true, deadlineMs: 1000 };
  }
  if (/too fast/i.test(prompt))
    return { status: 429, error: { code: 'RATE_LIMITED', message: 'Too many prompts' } };
  if (/break/i.test(prompt)) return { fail: 'The assistant is unavailable right now.' };
  const days = { tenant1: 10, tenant2: 20 }[user.tenantId] ?? 30;
  return { chunks: ['Returns are accepted ', `within ${days} `, 'days of delivery.'], order: [1, 0, 2] };
};

/** The fake usage API: a month of `<tenant>-admin`'s tenant (3 days, the 2nd without usage); anyone else is refused. */
const usage = (user: FakeUser, month: string | null): TenantUsageView | undefined => {
  if (!user.username.endsWith('-admin')) return undefined;
  const totals = (totalTokens: number, prompts: number) => ({
    inputTokens: totalTokens - prompts * 50,
    outputTokens: prompts * 50,
    totalTokens,
    prompts,
  });
  const shown = month ?? '2026-03';
  const current = shown === '2026-03';
  return {
    tenantId: user.tenantId,
    tier: 'basic',
    status: 'ACTIVE',
    month: shown,
    totals: totals(current ? 6_000 : 0, current ? 3 : 0),
    monthlyTokenBudget: 200_000,
    budgetUsed: current ? 0.03 : 0,
    ...(current ? { today: { day: '2026-03-03', ...totals(4_000, 2) } } : {}),
    days: current
      ? [
          { day: '2026-03-01', ...totals(2_000, 1) },
          { day: '2026-03-02', ...totals(0, 0) },
          { day: '2026-03-03', ...totals(4_000, 2) },
        ]
      : [{ day: `${shown}-01`, ...totals(0, 0) }],
    users: current ? [{ userId: user.sub, ...totals(6_000, 3) }] : [],
  };
};

let preview: Awaited<ReturnType<typeof startPreview>>;
let browser: Browser;

beforeAll(async () => {
  [preview, browser] = await Promise.all([startPreview(CONFIG), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

const open = async (users: FakeUser[], size: 'phone' | 'desktop' = 'desktop') => {
  const context: BrowserContext = await newContext(browser, size);
  const backend = await installFakeBackend(context, {
    cognitoOrigin: CONFIG.cognitoEndpoint,
    apiUrl: CONFIG.apiUrl,
    webSocketUrl: CONFIG.webSocketUrl,
    users,
    reply,
    usage,
  });
  const page: Page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(preview.url);
  return { context, page, backend, problems };
};

const signedIn = async (user: FakeUser, size: 'phone' | 'desktop' = 'desktop') => {
  const opened = await open([user], size);
  await signIn(opened.page, user.username, user.password);
  await setNewPassword(opened.page, NEW_PASSWORD);
  await waitForChat(opened.page);
  return opened;
};

describe('web chat (fake backend)', () => {
  it('signs in with a new password at first sign-in and streams the answer in, on a phone', async () => {
    // Prepare
    const user = fakeUser('tenant1-user', 'tenant1');
    const { page, context, problems, backend } = await open([user], 'phone');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'fake-sign-in-phone');

    // Act
    await signIn(page, 'tenant1-user', 'Temp-Passw0rd!');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await screenshot(page, 'fake-new-password-phone');
    await setNewPassword(page, NEW_PASSWORD);
    const who = await waitForChat(page);
    const answer = await ask(page, 'What is your return policy?');
    await screenshot(page, 'fake-chat-phone');

    // Assess
    expect(who).toBe('Signed in as tenant1-user · tenant tenant1');
    expect(answer.status).toBe('COMPLETED');
    expect(answer.text).toBe('Returns are accepted within 10 days of delivery.');
    expect(
      answer.seen.some(
        (text) => text.startsWith('Returns are accepted within 10') && !text.includes('delivery'),
      ),
    ).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(new URL(page.url()).searchParams.get('c')).toMatch(/^01J/);
    expect(backend.seen.cognito).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is usable with the keyboard alone', async () => {
    // Prepare
    const user = { ...fakeUser('tenant2-user', 'tenant2'), mustChangePassword: false };
    const { page, context, problems } = await open([user]);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // Act: Tab to each field, type, Enter submits
    await page.keyboard.press('Tab');
    await page.keyboard.type('tenant2-user');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Temp-Passw0rd!');
    await page.keyboard.press('Enter');
    await waitForChat(page);
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('name'));
    await page.keyboard.type('What is your return policy?');
    await page.keyboard.press('Enter');
    await page.locator('li.turn[data-status="COMPLETED"]').waitFor();

    // Assess
    expect(focused).toBe('prompt');
    expect(await page.locator('li.turn .answer').textContent()).toContain('within 20 days');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('enrols TOTP with the QR code secret, then signs in with a code', async () => {
    // Prepare
    const user = fakeUser('tenant3-user', 'tenant3');
    const { page, context, problems } = await signedIn(user);

    // Act: enrol
    await page.getByRole('button', { name: 'Authenticator app' }).click();
    const dialog = page.getByRole('dialog', { name: 'Authenticator app' });
    await dialog.getByRole('img', { name: /QR code/ }).waitFor();
    await screenshot(page, 'fake-totp-enrolment');
    const secret = (await dialog.locator('[data-secret]').getAttribute('data-secret')) ?? '';
    await dialog.getByLabel('6-digit code').fill(generateSync({ secret }));
    await dialog.getByRole('button', { name: 'Verify and turn on' }).click();
    await dialog.getByText('your next sign-in will ask for a code').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await signOut(page);

    // Act: sign in with a wrong code, then the right one
    await signIn(page, 'tenant3-user', NEW_PASSWORD);
    await enterCode(page, '000000');
    const refusal = await page.getByRole('alert').textContent();
    await page.getByLabel('6-digit code').fill(generateSync({ secret }));
    await page.getByRole('button', { name: 'Verify' }).click();
    const who = await waitForChat(page);

    // Assess
    expect(user.totpSecret).toBe(secret);
    expect(refusal).toBe('That code is not right. Check your authenticator app and try again.');
    expect(who).toContain('tenant3-user');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows clear messages for a rate limit and a failed answer', async () => {
    // Prepare
    const { page, context } = await signedIn(fakeUser('tenant1-user', 'tenant1'));

    // Act
    await page.getByLabel('Your question').fill('too fast');
    await page.getByLabel('Your question').press('Enter');
    await page.getByText('You are sending prompts too quickly').waitFor();
    const failed = await ask(page, 'break it');
    await screenshot(page, 'fake-errors');

    // Assess
    expect(await page.getByLabel('Your question').inputValue()).toBe('');
    expect(failed.status).toBe('FAILED');
    expect(failed.text).toContain('Failed: The assistant is unavailable right now.');
    await context.close();
  });

  it('shows a lost connection, still delivers the answer by polling, and reconnects', async () => {
    // Prepare
    const { page, context, backend } = await signedIn(fakeUser('tenant1-user', 'tenant1'));

    // Act
    await backend.dropSockets();
    await page.getByText('Live connection lost').waitFor();
    const answer = await ask(page, 'What is your return policy?');
    await page.getByText('Live connection lost').waitFor({ state: 'detached', timeout: 20_000 });

    // Assess
    expect(answer.text).toBe('Returns are accepted within 10 days of delivery.');
    expect(backend.seen.api.some((call) => call.startsWith('GET /answers/'))).toBe(true);
    await context.close();
  });

  it("shows nothing of another user's answer opened by URL or pushed over the socket", async () => {
    // Prepare
    const owner = fakeUser('tenant1-user', 'tenant1');
    const other = { ...fakeUser('tenant2-user', 'tenant2'), mustChangePassword: false };
    const { page, context, backend } = await open([owner, other]);
    await signIn(page, 'tenant1-user', 'Temp-Passw0rd!');
    await setNewPassword(page, NEW_PASSWORD);
    await waitForChat(page);
    const mine = await ask(page, 'What is your return policy?');
    const conversation = new URL(page.url()).searchParams.get('c') ?? '';
    await signOut(page);
    await signIn(page, 'tenant2-user', 'Temp-Passw0rd!');
    await waitForChat(page);

    // Act
    await page.goto(`${preview.url}/?answer=${encodeURIComponent(mine.answerId)}`);
    await page.getByText('This answer was not found.').waitFor();
    const byAnswer = await page.locator('main').textContent();
    await page.goto(`${preview.url}/?c=${encodeURIComponent(conversation)}`);
    await page.getByText('This conversation was not found.').waitFor();
    const byConversation = await page.locator('main').textContent();
    backend.push(other.sub, { type: 'answer.completed', answerId: mine.answerId, text: 'LEAKED 10 days' });
    await page.waitForTimeout(300);

    // Assess
    expect(byAnswer).not.toContain('10 days');
    expect(byConversation).not.toContain('10 days');
    expect(await page.content()).not.toContain('LEAKED');
    await context.close();
  });

  it('says a prompt whose answer times out timed out, and tries it again in the same conversation', async () => {
    // Prepare
    const { page, context, backend, problems } = await signedIn(fakeUser('tenant1-user', 'tenant1'));
    await ask(page, 'What is your return policy?');
    const conversation = new URL(page.url()).searchParams.get('c');

    // Act: no answer ever comes; the client stops waiting at the deadline
    const timedOut = await ask(page, 'Hello? This one never answers', 15_000);
    const turn = page.locator(`li.turn[data-answer-id="${timedOut.answerId}"]`);
    await screenshot(page, 'fake-timed-out');
    await turn.getByRole('button', { name: 'Try again' }).click();
    await page.locator('li.turn').nth(2).and(page.locator('[data-status="COMPLETED"]')).waitFor();

    // Assess
    expect(timedOut.status).toBe('FAILED');
    expect(timedOut.text).toMatch(/^Timed out: .*timed out.*Try again$/);
    const prompts = backend.seen.api.filter((call) => call.startsWith('POST /prompts'));
    expect(prompts).toHaveLength(3);
    const retried = [...backend.answers.values()].at(-1);
    expect(retried).toMatchObject({ prompt: 'Hello? This one never answers', conversationId: conversation });
    expect(new URL(page.url()).searchParams.get('c')).toBe(conversation);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists past conversations, newest first, and opens one with its history', async () => {
    // Prepare
    const { page, context, problems } = await signedIn(fakeUser('tenant2-user', 'tenant2'));
    await ask(page, 'Which orders did I place?');
    await ask(page, 'What is your return policy?');
    const first = new URL(page.url()).searchParams.get('c');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await ask(page, 'Something else entirely');
    const list = page.getByRole('navigation', { name: 'Conversations' });

    // Act
    await list.getByText('Your conversations (2)').click();
    const titles = await list.getByRole('button').allTextContents();
    await list.getByRole('button', { name: 'Which orders did I place?' }).click();
    await page.locator('li.turn').nth(1).waitFor();
    await screenshot(page, 'fake-conversation-list');

    // Assess
    expect(titles).toEqual(['Something else entirely', 'Which orders did I place?']);
    expect(await page.locator('li.turn .prompt').allTextContents()).toEqual([
      'You asked: Which orders did I place?',
      'You asked: What is your return policy?',
    ]);
    expect(new URL(page.url()).searchParams.get('c')).toBe(first);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('returns to sign-in with "session expired" when the API refuses the token', async () => {
    // Prepare
    const user = fakeUser('tenant1-user', 'tenant1');
    const { page, context } = await signedIn(user);
    (user as { sub: string }).sub = 'revoked';

    // Act
    await page.getByLabel('Your question').fill('Hello?');
    await page.getByLabel('Your question').press('Enter');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // Assess
    expect(await page.getByRole('status').first().textContent()).toBe(
      'Your session has expired. Please sign in again.',
    );
    await context.close();
  });

  it("shows a tenant admin their tenant's usage with a bar per day, and steps to another month", async () => {
    // Prepare
    const admin = fakeAdmin('tenant1-admin', 'tenant1', 'tenant');
    const { page, context, problems, backend } = await signedIn(admin);

    // Act
    await page.getByRole('button', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage · 2026-03' }).waitFor();
    const chart = page.getByRole('img', { name: 'Tokens per day' });
    const bars = await chart
      .locator('rect')
      .evaluateAll((rects) =>
        rects.map((rect) => [rect.getAttribute('data-day'), Number(rect.getAttribute('height'))]),
      );
    const totalsText = await page.getByTestId('usage-totals').textContent();
    const userRow = await page.getByRole('row', { name: new RegExp(admin.sub) }).textContent();
    await screenshot(page, 'fake-usage-desktop');
    await page.getByRole('button', { name: 'Previous month' }).click();
    await page.getByRole('heading', { name: 'Usage · 2026-02' }).waitFor();
    const quiet = await page.getByText('Nobody has used the assistant this month.').isVisible();
    await page.getByRole('button', { name: 'Back to the chat' }).click();

    // Assess
    expect(bars).toEqual([
      ['2026-03-01', 80],
      ['2026-03-02', 0],
      ['2026-03-03', 160],
    ]);
    expect(totalsText).toContain('6,000 tokens · 3 prompts');
    expect(totalsText).toContain('3.0% of 200.0k tokens');
    expect(totalsText).toContain('Today4,000 tokens · 2 prompts');
    expect(userRow).toContain('6,000');
    expect(quiet).toBe(true);
    expect(backend.seen.api.filter((call) => call.startsWith('GET /usage'))).toEqual([
      'GET /usage',
      'GET /usage?month=2026-02',
    ]);
    await page.getByLabel('Your question').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('tells a user whose admin role was revoked since sign-in that usage is for administrators, and shows no figures', async () => {
    // Prepare: the token still lists the admin group, the API no longer agrees
    const user = fakeAdmin('tenant1-revoked', 'tenant1', 'tenant');
    const { page, context, problems } = await signedIn(user, 'phone');

    // Act
    await page.getByRole('button', { name: 'Usage' }).click();
    const alert = await page.getByRole('alert').filter({ hasText: 'administrators' }).textContent();

    // Assess
    expect(alert).toBe("Usage is shown to your organisation's administrators only.");
    expect(await page.getByRole('img', { name: 'Tokens per day' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await context.close();
  });
});
