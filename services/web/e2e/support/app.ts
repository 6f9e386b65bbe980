import type { Page } from 'playwright-core';

/** Page actions on the web chat, by accessible names (what a user sees), never by CSS classes. */

export const signIn = async (page: Page, username: string, password: string): Promise<void> => {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

export const setNewPassword = async (page: Page, password: string): Promise<void> => {
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the new password').fill(password);
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
};

export const enterCode = async (page: Page, code: string): Promise<void> => {
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
};

/** Waits for the chat and returns the "Signed in as … · tenant …" line. */
export const waitForChat = async (page: Page): Promise<string> => {
  const who = page.getByTestId('who');
  await who.waitFor({ timeout: 20_000 });
  return (await who.textContent()) ?? '';
};

export interface AnswerOnScreen {
  readonly answerId: string;
  readonly status: string;
  readonly text: string;
  /** Every distinct text the answer showed while streaming. */
  readonly seen: readonly string[];
}

/**
 * Types a prompt, sends it with Enter, and waits for the new answer to finish, recording the text
 * as it streams in.
 */
export const ask = async (page: Page, prompt: string, timeoutMs = 30_000): Promise<AnswerOnScreen> => {
  const turns = page.locator('li.turn');
  const before = await turns.count();
  const box = page.getByLabel('Your question');
  await box.fill(prompt);
  await box.press('Enter');
  const turn = turns.nth(before);
  await turn.waitFor({ timeout: timeoutMs });
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await turn.getAttribute('data-status')) ?? '';
    const text = ((await turn.locator('.answer').textContent()) ?? '').replace(/^Assistant: /, '');
    if (seen.at(-1) !== text) seen.push(text);
    if (status === 'COMPLETED' || status === 'FAILED') {
      return { answerId: (await turn.getAttribute('data-answer-id')) ?? '', status, text, seen };
    }
    if (Date.now() > deadline)
      throw new Error(`The answer did not finish in ${timeoutMs} ms (last: ${status} ${text})`);
    await page.waitForTimeout(50);
  }
};

/** The ID token the app holds (sessionStorage), to try the API and WebSocket directly. */
export const idTokenOf = (page: Page): Promise<string> =>
  page.evaluate(() => {
    for (let index = 0; index < sessionStorage.length; index++) {
      const key = sessionStorage.key(index) ?? '';
      if (key.endsWith('.idToken')) return sessionStorage.getItem(key) ?? '';
    }
    return '';
  });

/** The app's /config.json as served. */
export const configOf = async (
  page: Page,
): Promise<{ apiUrl: string; webSocketUrl: string; adminApiUrl: string }> =>
  page.evaluate(async () => (await fetch('/config.json')).json());

export const signOut = async (page: Page): Promise<void> => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
};
