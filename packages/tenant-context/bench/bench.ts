/**
 * Micro-benchmarks of tenant-context's hot paths (prints numbers; not a timed test):
 *   1. token verifications per second with the JWKS cached (one core: a single Node thread),
 *   2. per-invocation overhead of `httpTenantContext` on a middy handler (p50/p99, µs), with and
 *      without the cost of verifying the token,
 *   3. credentials-cache hit latency.
 * Run: `pnpm run bench` (in packages/tenant-context).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { STSClient } from '@aws-sdk/client-sts';
import middy from '@middy/core';
import { createTestIssuer, httpApiEvent, lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { createScopedCredentialsProvider } from '../src/credentials';
import { tenantContext } from '../src/identity';
import { createLogger } from '../src/logger';
import { type HttpLikeEvent, httpTenantContext } from '../src/middleware';
import { createTokenVerifier, type TokenVerifier, type VerifiedToken } from '../src/tokens';

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Runs `fn` `count` times, one after the other, and returns each duration in µs, sorted. */
const sample = async (count: number, fn: () => Promise<unknown>): Promise<number[]> => {
  const durations = new Array<number>(count);
  for (let index = 0; index < count; index += 1) {
    const start = performance.now();
    await fn();
    durations[index] = (performance.now() - start) * 1000;
  }
  return durations.sort((a, b) => a - b);
};

const fmt = (value: number, digits = 1) => value.toFixed(digits).padStart(8);

const main = async () => {
  const cpu = cpus();
  console.log(
    `tenant-context benchmark — Node ${process.version}, ${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // 1. Token verifications per second, JWKS cached (CognitoJwtVerifier with a pre-loaded JWKS).
  const issuer = await createTestIssuer();
  const verifier = createTokenVerifier(issuer.preloaded);
  const tokens = await Promise.all(
    Array.from({ length: 200 }, (_, index) =>
      index % 2 ? issuer.idToken({ tenantId: 'tenant-a' }) : issuer.accessToken({ tenantId: 'tenant-a' }),
    ),
  );
  let cursor = 0;
  const verifyNext = () => verifier.verify(tokens[cursor++ % tokens.length] ?? '');
  for (let index = 0; index < 2_000; index += 1) await verifyNext(); // warm-up
  const wallRates: number[] = [];
  const cpuRates: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    let count = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < 1_000) {
      await verifyNext();
      count += 1;
    }
    const wallSeconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    wallRates.push(count / wallSeconds);
    cpuRates.push(count / ((cpu.user + cpu.system) / 1e6));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] ?? Number.NaN;
  const verifyTimes = await sample(20_000, verifyNext);
  console.log('\n1. Token verification (RS256, JWKS cached, one thread)');
  console.log(
    `   ${fmt(median(wallRates), 0)} verifications/s of wall-clock time (median of 3 one-second runs)`,
  );
  console.log(
    `   ${fmt(median(cpuRates), 0)} verifications/s of CPU time used by this process (one core's worth of work)`,
  );
  console.log(
    `   ${fmt(1e6 / percentile(verifyTimes, 50), 0)} verifications/s at the median latency (p50 ${percentile(verifyTimes, 50).toFixed(1)} µs, p99 ${percentile(verifyTimes, 99).toFixed(1)} µs)`,
  );
  console.log('   target ≥ 20,000/s');

  // 2. Middleware overhead per invocation.
  const logger = createLogger({ serviceName: 'bench' });
  const verified = new Map<string, VerifiedToken>();
  for (const token of tokens) verified.set(token, await verifier.verify(token));
  /** Answers from a table of tokens verified beforehand: the middleware's own cost only. */
  const precomputed: TokenVerifier = {
    verify: async (token) => {
      const result = verified.get(token);
      if (!result) throw new Error('unknown token');
      return result;
    },
  };
  const body = async () => ({ statusCode: 200 });
  const bare = middy(body);
  const withVerification = middy(body).use(httpTenantContext<HttpLikeEvent>({ verifier, logger }));
  const withoutVerification = middy(body).use(
    httpTenantContext<HttpLikeEvent>({ verifier: precomputed, logger }),
  );
  const events = tokens.map((token) => httpApiEvent({ method: 'POST', path: '/prompts', token }));
  const context = lambdaContext();
  const invoke = (handler: (event: never, context: never) => Promise<unknown>) => {
    let next = 0;
    return () => handler(events[next++ % events.length] as never, context as never);
  };
  const iterations = 20_000;
  for (const handler of [bare, withVerification, withoutVerification]) await sample(2_000, invoke(handler)); // warm-up
  const bareTimes = await sample(iterations, invoke(bare));
  const fullTimes = await sample(iterations, invoke(withVerification));
  const lightTimes = await sample(iterations, invoke(withoutVerification));
  const row = (label: string, times: number[]) =>
    console.log(
      `   ${label.padEnd(48)} p50 ${fmt(percentile(times, 50))} µs   p99 ${fmt(percentile(times, 99))} µs`,
    );
  const overhead = (label: string, times: number[]) =>
    console.log(
      `   ${label.padEnd(48)} p50 ${fmt(percentile(times, 50) - percentile(bareTimes, 50))} µs   p99 ${fmt(percentile(times, 99) - percentile(bareTimes, 99))} µs`,
    );
  console.log(`\n2. Middleware overhead per invocation (${iterations} sequential invocations each)`);
  row('bare middy handler', bareTimes);
  row('+ httpTenantContext, token verified', fullTimes);
  row('+ httpTenantContext, verification precomputed', lightTimes);
  overhead('overhead incl. token verification', fullTimes);
  overhead('overhead excl. token verification', lightTimes);
  console.log('   target: ≤ 50 µs overhead p50');

  // 3. Credentials-cache hit latency.
  const sts = {
    send: async () => ({
      Credentials: {
        AccessKeyId: 'ASIABENCHMARK0000001',
        SecretAccessKey: 'bench-secret-access-key',
        SessionToken: 'bench-session-token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    }),
  } as unknown as STSClient;
  const provider = createScopedCredentialsProvider({
    roleArn: 'arn:aws:iam::123456789012:role/TenantDataAccessRole',
    sts,
    tables: {
      tenantConfigTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-config',
      ordersTableArnPrefix: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders-',
    },
  });
  const tenants = Array.from({ length: 100 }, (_, index) =>
    tenantContext({ tenantId: `tenant-${index}`, userId: randomUserId() }),
  );
  for (const tenant of tenants) await provider.get(tenant); // fill the cache
  let which = 0;
  const hit = () =>
    provider.get(
      tenants[which++ % tenants.length] ??
        tenants[0] ??
        tenantContext({ tenantId: 'tenant-0', userId: randomUserId() }),
    );
  await sample(10_000, hit); // warm-up
  const hitTimes = await sample(100_000, hit);
  console.log('\n3. Credentials cache hit (100 cached (tenant, user) pairs, get() awaited)');
  row('provider.get(), cached', hitTimes);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
