import { type LoadUser, runLoad, signInLoadUsers } from '../src/load';
import { KNOWN_DEV_PASSWORD } from '../src/seed';
import { useTestSystem } from './support/system';

// 50 concurrent clients, 100 prompts, the 4 seeded users across the 3 tenants, against a whole
// system the test starts (ports +22500). Counts are asserted, never timings: every accepted prompt
// ends, none is lost or left unfinished, and no push reaches a user it does not belong to.
const USERS = ['tenant1-user', 'tenant1-user2', 'tenant2-user', 'tenant3-user'];
let users: LoadUser[];
// The enterprise tier: the tiers' limits (documented 429s, tested on their own) are not what this
// test measures.
const system = useTestSystem({ ports: 'load', tier: 'enterprise' });

beforeAll(async () => {
  users = await signInLoadUsers(system.stack.info, USERS, KNOWN_DEV_PASSWORD);
}, 300_000);

afterAll(async () => {
  await Promise.all((users ?? []).map((u) => u.socket.close()));
}, 60_000);

test('50 concurrent clients × 100 prompts: every prompt accepted and ended, none lost, unfinished or pushed to another user', async () => {
  // Act
  const outcome = await runLoad(system.stack.info, users, { total: 100, concurrency: 50 });

  // Assess
  expect(Object.fromEntries(outcome.errors)).toEqual({});
  expect(outcome).toMatchObject({ sent: 100, accepted: 100, lost: 0, unfinished: 0, wrongUser: 0 });
  expect(outcome.completed + outcome.failed).toBe(100);
  // No answer event exhausted its delivery retries on the way.
  expect(system.stack.eventBridge.failures()).toEqual([]);
}, 600_000);
