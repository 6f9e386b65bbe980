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
import { isOwnedBy } from '@tenant-assistant/tenant-context';
import {
  cognitoMembershipLookup,
  createMembershipVerifier,
} from '@tenant-assistant/tenant-context/membership';
import { awaitAnswer, ChatApiError, openSocket, signIn, submitPrompt } from '../client';
import { watchPeakMemory } from '../memory';
import { findTenantUser } from '../orders';
import { resolvePorts } from '../ports';
import { KNOWN_DEV_PASSWORD, SEED_USERS, seedStack } from '../seed';
import { type RunningStack, startStack } from '../stack';

const PROMPTS = ['What is your return policy?', 'Which orders did I place?'];

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
    ports: resolvePorts({ ...process.env, TA_PORT_OFFSET: process.env.TA_PORT_OFFSET ?? '21000' }),
  });
  try {
    // The enterprise tier, so that the tiers' rate limits never throttle the latency levels.
    await seedStack(stack.info, { knownPasswords: true, dataDir, tier: 'enterprise' });
    const users = await Promise.all(
      SEED_USERS.map(async (u) => {
        const session = await signIn(stack.info, u.username, KNOWN_DEV_PASSWORD);
        const socket = await openSocket(stack.info, session);
        const user = { session, socket, wrongUserPushes: 0 };
        // Every push must be for one of this user's own answers (answerId = <sub>.<ulid>).
        const sub = String(
          JSON.parse(Buffer.from(session.idToken.split('.')[1] ?? '', 'base64url').toString()).sub,
        );
        socket.onMessage((message) => {
          if (!isOwnedBy(message.answerId, sub)) user.wrongUserPushes += 1;
        });
        return user;
      }),
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
      const { answerId } = await submitPrompt(stack.info, user.session, PROMPTS[0] ?? '');
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
      const latencies: number[] = [];
      let failed = 0;
      let lost = 0;
      let unfinished = 0;
      const errors = new Map<string, number>();
      const wrongBefore = users.reduce((sum, u) => sum + u.wrongUserPushes, 0);
      let next = 0;
      const started = Date.now();
      const worker = async () => {
        for (;;) {
          const index = next++;
          if (index >= total) return;
          const user = users[index % users.length];
          if (!user) return;
          const t0 = performance.now();
          let answerId: string;
          try {
            ({ answerId } = await submitPrompt(
              stack.info,
              user.session,
              PROMPTS[index % PROMPTS.length] ?? '',
            ));
          } catch (error) {
            const key = error instanceof ChatApiError ? String(error.status) : 'network';
            errors.set(key, (errors.get(key) ?? 0) + 1);
            continue;
          }
          try {
            const answer = await awaitAnswer(stack.info, user.session, answerId, { socket: user.socket });
            if (answer.status === 'FAILED') failed += 1;
            else if (answer.status !== 'COMPLETED') unfinished += 1;
            latencies.push(performance.now() - t0);
          } catch {
            lost += 1; // no final answer within the client's wait
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (Date.now() - started) / 1000;
      const sorted = [...latencies].sort((a, b) => a - b);
      const fmt = (n: number) => n.toFixed(0).padStart(6);
      const wrongUser = users.reduce((sum, u) => sum + u.wrongUserPushes, 0) - wrongBefore;
      const errorText = errors.size === 0 ? '0' : [...errors].map(([k, v]) => `${v}×${k}`).join(',');
      const peak = memory.peak();
      console.log(
        `${String(concurrency).padStart(11)}  ${String(total).padStart(7)}  ${fmt(percentile(sorted, 50))}  ${fmt(percentile(sorted, 95))}  ${fmt(percentile(sorted, 99))}  ${(latencies.length / seconds).toFixed(1).padStart(9)}  ${String(failed).padStart(6)}  ${String(lost).padStart(4)}  ${String(unfinished).padStart(10)}  ${String(wrongUser).padStart(10)}  ${errorText.padStart(6)}  ${(peak.totalBytes / 1e6).toFixed(0).padStart(7)}  ${stack.sts.stats().assumeRoleCalls}`,
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
