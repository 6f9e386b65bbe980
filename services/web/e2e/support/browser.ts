import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (installed by the test command: `apt-get install -y chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (kept by CI as test artifacts): services/web/test-artifacts, or TEST_ARTIFACTS_DIR. */
export const ARTIFACTS_DIR = resolve(process.env.TEST_ARTIFACTS_DIR ?? 'test-artifacts');

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });

/** A phone-sized context (375 px wide), or a desktop one. */
export const newContext = async (
  browser: Browser,
  size: 'phone' | 'desktop' = 'desktop',
): Promise<BrowserContext> => {
  const context = await browser.newContext(
    size === 'phone'
      ? { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1100, height: 800 } },
  );
  context.setDefaultTimeout(15_000);
  return context;
};

/**
 * Collects console errors (CSP violations among them) and uncaught errors of a page, to assert none
 * happened. HTTP error statuses are left out: refusals (wrong code, 404) are expected in tests.
 */
export const watchProblems = (page: Page): string[] => {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (
      message.type() === 'error' &&
      !text.startsWith('Failed to load resource: the server responded with a status of')
    ) {
      problems.push(text);
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
};

export const screenshot = async (page: Page, name: string): Promise<string> => {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};
