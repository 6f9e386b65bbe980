/**
 * bench-noisy [--seconds 30]
 * The noisy-neighbour run on its own local system (shifted ports, in-memory data): tenant1 on the
 * basic tier floods at five times its tenant limit (from both its users) while tenant2 (standard)
 * chats at 10 prompts a minute; first tenant2 alone for the same time. Prints tenant2's p50/p95
 * alone and during the flood, and every refusal by code. Prints numbers; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tierLimits } from '@tenant-assistant/tenant-context/tiers';
import { openSocket, signIn } from '../client';
import {
  type ChatUser,
  noisyNeighbour,
  type PromptStreamResult,
  percentile,
  setTenantTier,
} from '../noisy-neighbour';
import { resolvePorts } from '../ports';
import { KNOWN_DEV_PASSWORD, seedStack } from '../seed';
import { startStack } from '../stack';

const describe = (name: string, r: PromptStreamResult) =>
  `${name.padEnd(22)} sent ${String(r.sent).padStart(4)}  accepted ${String(r.accepted).padStart(4)}  completed ${String(r.latencies.length).padStart(4)}  failed ${r.failed}  p50 ${percentile(r.latencies, 50).toFixed(0).padStart(6)} ms  p95 ${percentile(r.latencies, 95).toFixed(0).padStart(6)} ms  refused ${JSON.stringify(r.refusals)}`;

const main = async () => {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('Usage: bench-noisy [--seconds 30]');
  const dataDir = await mkdtemp(join(tmpdir(), 'tenant-assistant-bench-noisy-'));
  const stack = await startStack({
    dataDir,
    inMemory: true,
    web: false,
    ports: resolvePorts({ ...process.env, TA_PORT_OFFSET: process.env.TA_PORT_OFFSET ?? '22000' }),
  });
  const users: ChatUser[] = [];
  try {
    await seedStack(stack.info, { knownPasswords: true, dataDir });
    // Tiers are data: set as the admin API's tenant update does, before the first prompt.
    await setTenantTier(stack.info, 'tenant1', 'basic');
    await setTenantTier(stack.info, 'tenant2', 'standard');
    for (const username of ['tenant1-user', 'tenant1-user2', 'tenant2-user']) {
      const session = await signIn(stack.info, username, KNOWN_DEV_PASSWORD);
      users.push({ session, socket: await openSocket(stack.info, session) });
    }
    const floodPerMinute = 5 * tierLimits('basic').tenantPromptsPerMinute;
    console.log(
      `Noisy neighbour — ${seconds} s per phase; tenant1 (basic) floods at ${floodPerMinute}/min, tenant2 (standard) chats at 10/min`,
    );
    const { alone, duringFlood, flood } = await noisyNeighbour(stack.info, {
      victim: users.slice(2),
      flooders: users.slice(0, 2),
      victimPerMinute: 10,
      floodPerMinute,
      durationMs: seconds * 1000,
      prompt: 'What is your return policy?',
    });
    console.log(describe('tenant2 alone', alone));
    console.log(describe('tenant2 during flood', duringFlood));
    console.log(describe('tenant1 flooding', flood));
    const ratio = percentile(duringFlood.latencies, 95) / percentile(alone.latencies, 95);
    console.log(`tenant2 p95 during the flood / alone: ${ratio.toFixed(2)}× (target ≤ 1.5×)`);
  } finally {
    await Promise.all(users.map((user) => user.socket.close()));
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
