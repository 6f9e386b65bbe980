import {
  type Answer,
  awaitAnswer,
  listAnswers,
  listConversations,
  sessionCache,
  submitPrompt,
} from '../src/client';
import { KNOWN_DEV_PASSWORD } from '../src/seed';
import { refusalOf } from './support/refusal';
import { useTestSystem } from './support/system';

// Faults while prompts are in flight, against a whole system the test starts (ports +22000, data
// on disk so that DynamoDB Local can be killed and started again). Final states are asserted, never
// timings: every accepted prompt ends COMPLETED or FAILED with a reason within its deadline.
// A deadline of 60 s (default 240) keeps an answer that only the sweeper can end within the test's time.
const system = useTestSystem({ ports: 'faults', inMemory: false, answerDeadlineSeconds: 60 });

const { session } = sessionCache(() => system.stack.info, KNOWN_DEV_PASSWORD);

const ask = async (username: string, prompt = 'What is your return policy?'): Promise<Answer> => {
  const s = await session(username);
  const { answerId } = await submitPrompt(system.stack.info, s, prompt);
  return awaitAnswer(system.stack.info, s, answerId, { timeoutMs: 90_000 });
};

/** Submits one prompt per user at once; resolves when all are accepted (answers still in flight). */
const submitAll = (usernames: string[]) =>
  Promise.all(
    usernames.map(async (username) => {
      const s = await session(username);
      return {
        session: s,
        accepted: await submitPrompt(system.stack.info, s, 'What is your return policy?'),
      };
    }),
  );

/** Waits for each answer until its own deadline (awaitAnswer asks chat-api once more there). */
const finishAll = (inFlight: Awaited<ReturnType<typeof submitAll>>) =>
  Promise.all(
    inFlight.map(({ session: s, accepted }) =>
      awaitAnswer(system.stack.info, s, accepted.answerId, { deadlineAt: accepted.deadlineAt ?? '' }),
    ),
  );

/** Ended by the system, COMPLETED or FAILED with a reason — never left open, never given up on by the client. */
const expectEnded = (answers: Answer[]) => {
  for (const answer of answers) {
    expect(answer.decidedByClient).toBeUndefined();
    expect(['COMPLETED', 'FAILED']).toContain(answer.status);
    if (answer.status === 'FAILED') expect(answer.reason).toMatch(/\S/);
  }
};

/** Waits until no InvokeAgent call is in flight, so an injected fault hits the next prompt. */
const settle = () => system.stack.eventBridge.drain(60_000);

beforeAll(async () => {
  // Warm one agent-invoker container (and tenant1-user's credentials in it).
  expect((await ask('tenant1-user')).status).toBe('COMPLETED');
}, 300_000);

// First, while listConversations and listAnswers have not run yet: their cold start fetches the keys.
describe("the identity provider's keys (JWKS) slow or unavailable", () => {
  test('JWKS answering 503: a signed-in user gets 503 AUTH_UNAVAILABLE, never 401, and is served once it is back', async () => {
    // Prepare
    const s = await session('tenant2-user');
    system.stack.faults.jwks({ status: 503 });

    // Act
    const whileDown = await refusalOf(() => listConversations(system.stack.info, s));
    system.stack.faults.jwks(undefined);
    const afterwards = await refusalOf(() => listConversations(system.stack.info, s));

    // Assess
    expect(whileDown).toBe('503 AUTH_UNAVAILABLE');
    expect(afterwards).toBe('served');
  });

  test('JWKS answering after 2 s: a cold function still serves signed-in users', async () => {
    // Prepare
    const s = await session('tenant3-user');
    system.stack.faults.jwks({ delayMs: 2_000 });

    // Act: a conversation of nobody's — the token verified, the caller learns it is not theirs
    const outcome = await refusalOf(() => listAnswers(system.stack.info, s, 'some-conversation'));
    system.stack.faults.jwks(undefined);

    // Assess
    expect(outcome).toBe('404 CONVERSATION_NOT_FOUND');
  });
});

describe('faults while prompts are in flight', () => {
  test('STS down for 3 s: prompts of users whose credentials are not cached complete once it is back', async () => {
    // Prepare
    const users = ['tenant1-user2', 'tenant2-user', 'tenant3-user'];
    await Promise.all(users.map(session));

    // Act
    const outage = system.stack.faults.stsOutage(3_000);
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
    system.stack.bedrock.injectFault({ type: 'ThrottlingException', times: 2 });
    const answer = await ask('tenant2-user');
    expect(answer.status).toBe('COMPLETED');
  });

  test('Bedrock 5xx that does not pass: the prompt ends FAILED with a reason', async () => {
    await settle();
    system.stack.bedrock.injectFault({ type: 'InternalServerException', times: 6 });
    const answer = await ask('tenant3-user');
    expect(answer).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/\S/) });
  });

  test('a mid-stream error: the prompt ends FAILED with a reason, never left streaming', async () => {
    await settle();
    system.stack.bedrock.injectFault({ type: 'InternalServerException', times: 1, midStream: true });
    const answer = await ask('tenant1-user');
    expect(['COMPLETED', 'FAILED']).toContain(answer.status);
    if (answer.status === 'FAILED') expect(answer.reason).toMatch(/\S/);
  });
});

describe('DynamoDB faults while prompts are in flight', () => {
  const users = ['tenant1-user', 'tenant1-user2', 'tenant2-user', 'tenant3-user'];

  test('DynamoDB paused for 15 s: every accepted prompt ends COMPLETED or FAILED with a reason', async () => {
    // Prepare
    await settle();
    const inFlight = await submitAll(users);

    // Act
    await system.stack.faults.dynamodbPause(15_000);
    const answers = await finishAll(inFlight);

    // Assess
    expectEnded(answers);
  }, 240_000);

  test('DynamoDB killed and started again after 3 s: every accepted prompt ends COMPLETED or FAILED with a reason', async () => {
    // Prepare
    await settle();
    const inFlight = await submitAll(users);

    // Act
    await system.stack.faults.dynamodbCrash(3_000);
    const answers = await finishAll(inFlight);

    // Assess
    expectEnded(answers);
    // …and the system serves new prompts once DynamoDB is back.
    expect((await ask('tenant2-user')).status).toBe('COMPLETED');
  }, 240_000);
});
