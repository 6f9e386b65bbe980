import type { Browser, BrowserContext, Page } from 'playwright-core';
import { setNewPassword, signIn, waitForChat } from './app';
import { launchBrowser, newContext, watchProblems } from './browser';
import { type E2eStack, startE2eStack } from './stack';

export interface StackSuite {
  /** The running system (set once `beforeAll` has run). */
  readonly env: E2eStack;
  readonly browser: Browser;
  /** A new browser context, closed after the file. */
  context(size?: 'phone' | 'desktop'): Promise<BrowserContext>;
  /**
   * A seeded (or invited) user's first sign-in in a fresh context: the temporary password (the
   * seed's, unless given), then the suite's new password; resolves on the chat.
   */
  firstSignIn(
    username: string,
    options?: { password?: string; size?: 'phone' | 'desktop' },
  ): Promise<{ page: Page; problems: string[]; who: string }>;
}

/**
 * One local system and one browser for a whole test file (registered with `beforeAll` /
 * `afterAll`): a system start costs most of a stack test's time, so a file starts one.
 * @example const suite = stackSuite(); … await suite.firstSignIn('tenant1-user');
 */
export const stackSuite = (): StackSuite => {
  const started = {} as { env: E2eStack; browser: Browser };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [started.env, started.browser] = await Promise.all([startE2eStack(), launchBrowser()]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await started.browser?.close();
    await started.env?.close();
  });

  const context = async (size: 'phone' | 'desktop' = 'desktop') => {
    const opened = await newContext(started.browser, size);
    contexts.push(opened);
    return opened;
  };

  return {
    get env() {
      return started.env;
    },
    get browser() {
      return started.browser;
    },
    context,
    async firstSignIn(username, options = {}) {
      const page = await (await context(options.size)).newPage();
      const problems = watchProblems(page);
      await page.goto(started.env.webUrl);
      await signIn(page, username, options.password ?? started.env.passwordOf(username));
      await setNewPassword(page, started.env.newPassword);
      const who = await waitForChat(page);
      return { page, problems, who };
    },
  };
};
