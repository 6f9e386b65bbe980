import { LIMIT_CODES, tierLimits } from '@tenant-assistant/tenant-context/tiers';
import { openSocket, signIn } from '../src/client';
import { type ChatUser, noisyNeighbourFlood, percentile, setTenantTier } from '../src/noisy-neighbour';
import { KNOWN_DEV_PASSWORD } from '../src/seed';
import { useTestSystem } from './support/system';

// Noisy neighbour, asserted (`./scripts/bench-noisy` measures the latencies): tenant1 on the basic
// tier floods at five times its tenant limit from both its users for 30 s, while tenant2 (standard)
// chats at 10 prompts a minute. 30 s at 5× the minute's limit sends 2.5× the limit, more than two
// minute windows can admit, so tenant1 must be refused whichever minute boundary the run crosses.
const FLOOD_SECONDS = 30;
const system = useTestSystem({ ports: 'noisyNeighbour' });
const users: ChatUser[] = [];

jest.setTimeout(300_000);

beforeAll(async () => {
  // Tiers are data: set as the admin API's tenant update does, before the tenants' first prompt.
  await setTenantTier(system.stack.info, 'tenant1', 'basic');
  await setTenantTier(system.stack.info, 'tenant2', 'standard');
  for (const username of ['tenant1-user', 'tenant1-user2', 'tenant2-user']) {
    const session = await signIn(system.stack.info, username, KNOWN_DEV_PASSWORD);
    users.push({ session, socket: await openSocket(system.stack.info, session) });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(users.map((user) => user.socket.close()));
});

test('tenant1 flooding at 5× its limit gets 429s; tenant2 chatting at its normal rate gets none', async () => {
  // Prepare
  const limit = tierLimits('basic').tenantPromptsPerMinute;

  // Act
  const { victim, flood } = await noisyNeighbourFlood(system.stack.info, {
    victim: users.slice(2),
    flooders: users.slice(0, 2),
    victimPerMinute: 10,
    floodPerMinute: 5 * limit,
    durationMs: FLOOD_SECONDS * 1000,
    prompt: 'What is your return policy?',
  });
  console.log(
    `noisy neighbour: tenant1 sent ${flood.sent}, refused ${JSON.stringify(flood.refusals)}; tenant2 sent ${victim.sent}, completed ${victim.latencies.length}, p95 ${percentile(victim.latencies, 95).toFixed(0)} ms`,
  );

  // Assess
  const refused = Object.values(flood.refusals).reduce((sum, count) => sum + count, 0);
  expect(flood.sent).toBeGreaterThan(2 * limit);
  expect(refused).toBeGreaterThanOrEqual(flood.sent - 2 * limit);
  for (const code of Object.keys(flood.refusals)) expect(Object.values(LIMIT_CODES)).toContain(code);
  expect(victim.refusals).toEqual({});
  expect(victim.accepted).toBe(victim.sent);
});
