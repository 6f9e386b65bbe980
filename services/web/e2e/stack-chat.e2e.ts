/**
 * Against the running local stack (see support/stack.ts for the environment): sign-in with the
 * forced new password, answers streaming in per tenant, and isolation between users.
 */
import type { Page } from 'playwright-core';
import {
  type AnswerOnScreen,
  ask,
  configOf,
  idTokenOf,
  setNewPassword,
  signIn,
  waitForChat,
} from './support/app';
import { screenshot, watchProblems } from './support/browser';
import { stackSuite } from './support/stack-suite';

const RETURN_POLICY = 'What is your return policy?';

const suite = stackSuite();
const firstSignIn = (username: string) => suite.firstSignIn(username);

/** tenant1-user's session and first answer, shared by the isolation tests. */
let tenant1: { page: Page; answer: AnswerOnScreen; conversationId: string };
let tenant2Page: Page;

describe('web chat against the local stack', () => {
  it('tenant1-user signs in, sets a new password, asks for the return policy and sees "10 days" stream in', async () => {
    // Prepare
    const page = await (await suite.context('phone')).newPage();
    const problems = watchProblems(page);
    await page.goto(suite.env.webUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');

    // Act
    await signIn(page, 'tenant1-user', suite.env.passwordOf('tenant1-user'));
    await setNewPassword(page, suite.env.newPassword);
    const who = await waitForChat(page);
    const answer = await ask(page, RETURN_POLICY);
    await screenshot(page, 'chat-tenant1');

    // Assess
    expect(who).toBe('Signed in as tenant1-user · tenant tenant1');
    expect(answer.status).toBe('COMPLETED');
    expect(answer.text).toMatch(/\b10 days\b/);
    expect(answer.seen.length).toBeGreaterThan(1); // shown before it was complete
    expect(problems).toEqual([]);
    tenant1 = { page, answer, conversationId: new URL(page.url()).searchParams.get('c') ?? '' };
    expect(tenant1.conversationId).not.toBe('');
  });

  it('tenant2-user sees 20 days', async () => {
    // Prepare
    const { page, problems, who } = await firstSignIn('tenant2-user');

    // Act
    const answer = await ask(page, RETURN_POLICY);
    await screenshot(page, 'chat-tenant2');

    // Assess
    expect(who).toBe('Signed in as tenant2-user · tenant tenant2');
    expect(answer.text).toMatch(/\b20 days\b/);
    expect(answer.text).not.toMatch(/\b10 days\b/);
    expect(problems).toEqual([]);
    tenant2Page = page;
  });

  it("shows nothing of another user's answer opened by manipulating the URL", async () => {
    // Act
    await tenant2Page.goto(`${suite.env.webUrl}/?answer=${encodeURIComponent(tenant1.answer.answerId)}`);
    await tenant2Page.getByText('This answer was not found.').waitFor();
    const byAnswer = await tenant2Page.locator('main').textContent();
    await tenant2Page.goto(`${suite.env.webUrl}/?c=${encodeURIComponent(tenant1.conversationId)}`);
    await tenant2Page.getByText('This conversation was not found.').waitFor();
    const byConversation = await tenant2Page.locator('main').textContent();

    // Assess
    expect(byAnswer).not.toContain('10 days');
    expect(byConversation).not.toContain('10 days');
    expect(await tenant2Page.locator('li.turn').count()).toBe(0);
  });

  it("answers 404 to another user's answer id asked for directly with a valid token", async () => {
    // Prepare
    const token = await idTokenOf(tenant2Page);
    const { apiUrl } = await configOf(tenant2Page);

    // Act
    const result = await tenant2Page.evaluate(
      async ({ apiUrl, token, answerId }) => {
        const response = await fetch(`${apiUrl}/answers/${encodeURIComponent(answerId)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return { status: response.status, body: await response.text() };
      },
      { apiUrl, token, answerId: tenant1.answer.answerId },
    );

    // Assess
    expect(result.status).toBe(404);
    expect(result.body).not.toContain('10 days');
  });

  it("pushes nothing of another user's answer to a user's WebSocket, and refuses a tampered token", async () => {
    // Prepare: tenant2's page records every frame it receives
    const frames: string[] = [];
    tenant2Page.on('websocket', (socket) =>
      socket.on('framereceived', (frame) => frames.push(String(frame.payload))),
    );
    await tenant2Page.goto(suite.env.webUrl);
    await waitForChat(tenant2Page);
    await tenant2Page.waitForTimeout(1000); // socket open

    // Act: tenant1 asks again while tenant2 listens
    const second = await ask(tenant1.page, RETURN_POLICY);
    await tenant2Page.waitForTimeout(1000);
    const { webSocketUrl } = await configOf(tenant2Page);
    const token = await idTokenOf(tenant2Page);
    const tenant1Sub = tenant1.answer.answerId.split('.')[0] ?? '';
    const tampered = await tenant2Page.evaluate(
      ({ webSocketUrl, token, sub }) =>
        new Promise<{ opened: boolean; messages: string[] }>((resolve) => {
          const [header, payload, signature] = token.split('.');
          const claims = JSON.parse(atob((payload ?? '').replace(/-/g, '+').replace(/_/g, '/')));
          const forged = btoa(JSON.stringify({ ...claims, sub }))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '');
          const socket = new WebSocket(
            `${webSocketUrl}?token=${encodeURIComponent(`${header}.${forged}.${signature}`)}`,
          );
          const result = { opened: false, messages: [] as string[] };
          socket.onopen = () => {
            result.opened = true;
          };
          socket.onmessage = (event) => result.messages.push(String(event.data));
          socket.onclose = () => resolve(result);
          setTimeout(() => {
            socket.close();
            resolve(result);
          }, 5000);
        }),
      { webSocketUrl, token, sub: tenant1Sub },
    );

    // Assess
    expect(second.text).toMatch(/\b10 days\b/);
    expect(frames.join('\n')).not.toContain(second.answerId);
    expect(frames.join('\n')).not.toContain(tenant1Sub);
    expect(tampered.opened).toBe(false);
    expect(tampered.messages).toEqual([]);
  });
});
