/**
 * bench [--prompts N] [--levels 1,10,50]
 * Starts its own local system (shifted ports, in-memory data), then drives prompts at each
 * concurrency level across the three tenants through the real path (chat-api → EventBridge →
 * agent-invoker → STS → Bedrock stand-in with the rules model → action group → gateway →
 * DynamoDB Local → chat-api → WebSocket) and prints latency, throughput, AssumeRole calls, the
 * integrity counts (lost, unfinished, wrong-user pushes, request errors), the peak memory of the
 * whole local system, start-up time and the cost of the agent-invoker's membership check. Prints
 * numbers; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  cognitoMembershipLookup,
  createMembershipVerifier,
} from '@tenant-assistant/tenant-context/membership';
import { awaitAnswer, submitPrompt } from '../client';
import { LOAD_PROMPTS, runLoad, signInLoadUsers } from '../load';
import { watchPeakMemory } from '../memory';
import { findTenantUser } from '../orders';
import { resolvePorts, TEST_PORT_OFFSETS } from '../ports';
import { KNOWN_DEV_PASSWORD, SEED_USERS, seedStack } from '../seed';
import { type RunningStack, startStack } from '../stack';

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);

/**
 * The agent-invoker's membership check, as it runs before any AssumeRole: a cold check is one
 * AdminGetUser on the (local) Cognito; a warm one is served by the container's cache.
 */
const benchMembership = async (info: RunningStack['info']) => {
  const cognito = new CognitoIdentityProviderClient({
    region: info.region,
    endpoint: info.cognitoUrl,
    credentials: info.adminCredentials,
  });
  const members = await Promise.all(
    SEED_USERS.map((u) => findTenantUser(cognito, info.userPoolId, u.username)),
  );
  const lookup = cognitoMembershipLookup(cognito, info.userPoolId);
  const time = async (count: number, check: (index: number) => Promise<boolean>) => {
    const durations: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const member = members[index % members.length];
      const t0 = performance.now();
      if (!(await check(index)) || !member) throw new Error('a seeded user was refused');
      durations.push(performance.now() - t0);
    }
    return durations.sort((a, b) => a - b);
  };
  const at = (index: number) => members[index % members.length] as (typeof members)[number];
  // Cold: a fresh verifier per check (what the first prompt of a user in a container pays).
  const cold = await time(100, (i) =>
    createMembershipVerifier({ lookup }).isMember(at(i).tenantId, at(i).userId),
  );
  const warmVerifier = createMembershipVerifier({ lookup });
  for (const member of members) await warmVerifier.isMember(member.tenantId, member.userId);
  const warm = await time(20_000, (i) => warmVerifier.isMember(at(i).tenantId, at(i).userId));
  const ms = (n: number) => n.toFixed(2);
  const us = (n: number) => (n * 1000).toFixed(1);
  console.log(
    `membership check before STS: cold (AdminGetUser on local Cognito) p50 ${ms(percentile(cold, 50))} ms, p99 ${ms(percentile(cold, 99))} ms; warm (cached per user, 5 min) p50 ${us(percentile(warm, 50))} µs, p99 ${us(percentile(warm, 99))} µs; look-ups by the warm cache: ${warmVerifier.lookups} for ${warm.length + members.length} checks`,
  );
};

const main = async () => {
  const { values } = parseArgs({
    options: { prompts: { type: 'string', default: '60' }, levels: { type: 'string', default: '1,10,50' } },
  });
  const total = Number(values.prompts);
  const levels = values.levels.split(',').map(Number);
  if (!Number.isInteger(total) || total < 1 || levels.some((l) => !Number.isInteger(l) || l < 1)) {
    throw new Error('Usage: bench [--prompts N] [--levels 1,10,50]');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'tenant-assistant-bench-'));
  const stack = await startStack({
    dataDir,
    inMemory: true,
    web: false,
    ports: resolvePorts({
      ...process.env,
      TA_PORT_OFFSET: process.env.TA_PORT_OFFSET ?? String(TEST_PORT_OFFSETS.bench),
    }),
  });
  try {
    // The enterprise tier, so that the tiers' rate limits never throttle the latency levels.
    await seedStack(stack.info, { knownPasswords: true, dataDir, tier: 'enterprise' });
    const users = await signInLoadUsers(
      stack.info,
      SEED_USERS.map((u) => u.username),
      KNOWN_DEV_PASSWORD,
    );
    console.log(
      `Tenant Assistant local benchmark — ${total} prompts per level, ${users.length} users in 3 tenants`,
    );
    console.log(
      `stack start-up: ${(stack.startupMs / 1000).toFixed(1)} s (ports free → all services answering)`,
    );
    // Warm-up, reported on its own: each user's first prompt meets cold handlers (module load,
    // first SDK connections, first AssumeRole), which the levels below would otherwise mix in.
    const cold: number[] = [];
    for (const user of users) {
      const t0 = performance.now();
      const { answerId } = await submitPrompt(stack.info, user.session, LOAD_PROMPTS[0] ?? '');
      await awaitAnswer(stack.info, user.session, answerId, { socket: user.socket });
      cold.push(performance.now() - t0);
    }
    console.log(
      `first prompt per user (cold handlers, not counted below): ${cold.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    );
    console.log(
      'concurrency  prompts  p50 ms  p95 ms  p99 ms  prompts/s  failed  lost  unfinished  wrong-user  errors  peak MB  AssumeRole (total)',
    );
    const memory = watchPeakMemory(250);
    const peaks: string[] = [];
    for (const concurrency of levels) {
      memory.reset();
      const outcome = await runLoad(stack.info, users, { total, concurrency });
      const sorted = [...outcome.latencies].sort((a, b) => a - b);
      const fmt = (n: number) => n.toFixed(0).padStart(6);
      const errorText =
        outcome.errors.size === 0 ? '0' : [...outcome.errors].map(([k, v]) => `${v}×${k}`).join(',');
      const peak = memory.peak();
      console.log(
        `${String(concurrency).padStart(11)}  ${String(total).padStart(7)}  ${fmt(percentile(sorted, 50))}  ${fmt(percentile(sorted, 95))}  ${fmt(percentile(sorted, 99))}  ${(outcome.latencies.length / outcome.seconds).toFixed(1).padStart(9)}  ${String(outcome.failed).padStart(6)}  ${String(outcome.lost).padStart(4)}  ${String(outcome.unfinished).padStart(10)}  ${String(outcome.wrongUser).padStart(10)}  ${errorText.padStart(6)}  ${(peak.totalBytes / 1e6).toFixed(0).padStart(7)}  ${stack.sts.stats().assumeRoleCalls}`,
      );
      const byName = new Map<string, number>();
      for (const p of peak.processes) byName.set(p.name, (byName.get(p.name) ?? 0) + p.rssBytes);
      peaks.push(
        `  c=${concurrency}: ${[...byName]
          .sort((a, b) => b[1] - a[1])
          .map(([name, bytes]) => `${name} ${(bytes / 1e6).toFixed(0)} MB`)
          .join('; ')}`,
      );
    }
    memory.stop();
    console.log(
      'peak memory of the whole local system (RSS of this process, which runs the stand-ins, and every process it started), by process:',
    );
    for (const line of peaks) console.log(line);
    const deadLetters = stack.eventBridge.failures().length;
    console.log(`deliveries that exhausted their retries (dead-lettered or dropped): ${deadLetters}`);
    console.log(
      `distinct (tenant, user) pairs: ${users.length}; AssumeRole calls in all: ${stack.sts.stats().assumeRoleCalls} (the agent-invoker caches credentials per pair)`,
    );
    await benchMembership(stack.info);
    await Promise.all(users.map((u) => u.socket.close()));
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
