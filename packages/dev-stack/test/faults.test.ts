import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, awaitAnswer, type Session, signIn, submitPrompt } from '../src/client';
import { testPorts } from '../src/ports';
import { KNOWN_DEV_PASSWORD, seedStack } from '../src/seed';
import { type RunningStack, startStack } from '../src/stack';

// Faults while prompts are in flight, against a whole system the test starts (ports +26000).
// Counts and final states are asserted, never timings.
let stack: RunningStack;
let dataDir: string;
const sessions = new Map<string, Session>();

const session = async (username: string) => {
  const existing = sessions.get(username);
  if (existing) return existing;
  const created = await signIn(stack.info, username, KNOWN_DEV_PASSWORD);
  sessions.set(username, created);
  return created;
};

const ask = async (username: string, prompt = 'What is your return policy?'): Promise<Answer> => {
  const s = await session(username);
  const { answerId } = await submitPrompt(stack.info, s, prompt);
  return awaitAnswer(stack.info, s, answerId, { timeoutMs: 90_000 });
};

/** Waits until no InvokeAgent call is in flight, so an injected fault hits the next prompt. */
const settle = () => stack.eventBridge.drain(60_000);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tenant-assistant-faults-'));
  stack = await startStack({ dataDir, inMemory: true, web: false, ports: testPorts(26_000) });
  await seedStack(stack.info, { knownPasswords: true, dataDir });
  // Warm one agent-invoker container (and tenant1-user's credentials in it).
  expect((await ask('tenant1-user')).status).toBe('COMPLETED');
}, 300_000);

afterAll(async () => {
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('faults while prompts are in flight', () => {
  test('STS down for 3 s: prompts of users whose credentials are not cached complete once it is back', async () => {
    // Prepare
    const users = ['tenant1-user2', 'tenant2-user', 'tenant3-user'];
    await Promise.all(users.map(session));
    // Act
    const outage = stack.faults.stsOutage(3_000);
    const answers = await Promise.all(users.map((username) => ask(username)));
    await outage;
    // Assess
    expect(answers.map((a) => a.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(answers.map((a) => a.text)).toEqual([
      expect.stringContaining('10 days'),
      expect.stringContaining('20 days'),
      expect.stringContaining('30 days'),
    ]);
  });

  test('Bedrock throttling twice: the prompt is retried and completes', async () => {
    await settle();
    stack.bedrock.injectFault({ type: 'ThrottlingException', times: 2 });
    const answer = await ask('tenant2-user');
    expect(answer.status).toBe('COMPLETED');
  });

  test('Bedrock 5xx that does not pass: the prompt ends FAILED with a reason', async () => {
    await settle();
    stack.bedrock.injectFault({ type: 'InternalServerException', times: 6 });
    const answer = await ask('tenant3-user');
    expect(answer).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/\S/) });
  });

  test('a mid-stream error: the prompt ends FAILED with a reason, never left streaming', async () => {
    await settle();
    stack.bedrock.injectFault({ type: 'InternalServerException', times: 1, midStream: true });
    const answer = await ask('tenant1-user');
    expect(['COMPLETED', 'FAILED']).toContain(answer.status);
    if (answer.status === 'FAILED') expect(answer.reason).toMatch(/\S/);
  });
});
