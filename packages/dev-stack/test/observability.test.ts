import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantMetricsView } from '@tenant-assistant/contracts/http';
import { awaitAnswer, getLocalMetrics, sessionCache, submitPrompt } from '../src/client';
import { TEST_PORT_OFFSETS, testPorts } from '../src/ports';
import { KNOWN_DEV_PASSWORD, seedStack } from '../src/seed';
import { type RunningStack, startStack } from '../src/stack';
import { refusalOf } from './support/refusal';

// The local system's observability, against a whole system the test starts (ports +14500): the
// metric lines the functions print are collected and served per tenant with the usage API's admin
// rule, and every invocation's log lines carry an X-Ray trace id, as in Lambda.

jest.setTimeout(120_000);

let stack: RunningStack;
let dataDir: string;
const logs: { source: string; line: string }[] = [];
const { session } = sessionCache(() => stack.info, KNOWN_DEV_PASSWORD);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tenant-assistant-observability-'));
  stack = await startStack({
    dataDir,
    web: false,
    inMemory: true,
    ports: testPorts(TEST_PORT_OFFSETS.observability),
    log: (source, line) => logs.push({ source, line }),
  });
  await seedStack(stack.info, { knownPasswords: true, dataDir });
}, 300_000);

afterAll(async () => {
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** The tenant's metrics once `ready` holds (the answer's lines are printed as it ends). */
const metricsWhen = async (
  read: () => Promise<TenantMetricsView>,
  ready: (view: TenantMetricsView) => boolean,
): Promise<TenantMetricsView> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const view = await read();
    if (ready(view) || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

describe('the local system’s metrics and traces', () => {
  let answerId: string;

  beforeAll(async () => {
    const user = await session('tenant1-user');
    ({ answerId } = await submitPrompt(stack.info, user, 'What is your return policy?'));
    expect((await awaitAnswer(stack.info, user, answerId, { timeoutMs: 60_000 })).status).toBe('COMPLETED');
  });

  test("collects a prompt's metric lines and serves them to its tenant's admin", async () => {
    // Act
    const view = await metricsWhen(
      async () => getLocalMetrics(stack.info, await session('tenant1-admin')),
      (v) => (v.totals.AnswerCompleted ?? 0) >= 1,
    );
    // Assess
    expect(view.tenantId).toBe('tenant1');
    expect(view.totals.PromptAccepted).toBeGreaterThanOrEqual(1);
    expect(view.totals.AnswerCompleted).toBeGreaterThanOrEqual(1);
    expect(view.totals.ApiRequest).toBeGreaterThanOrEqual(1);
    expect(view.timings.AnswerLatency?.count).toBeGreaterThanOrEqual(1);
    expect(stack.metrics.records().some((r) => r.dimensions.tenant === 'tenant1')).toBe(true);
  });

  test("gives another tenant's admin only their own tenant, and refuses every other caller", async () => {
    // Act
    const tenant2 = await getLocalMetrics(stack.info, await session('tenant2-admin'));
    const refusals = {
      user: await refusalOf(async () => getLocalMetrics(stack.info, await session('tenant1-user'))),
      otherTenant: await refusalOf(async () =>
        getLocalMetrics(stack.info, await session('tenant2-admin'), 'tenant1'),
      ),
      noToken: await refusalOf(() => getLocalMetrics(stack.info, { idToken: '' })),
    };
    const platform = await getLocalMetrics(stack.info, await session('platform-admin'), 'tenant1');
    // Assess
    expect(tenant2.tenantId).toBe('tenant2');
    expect(tenant2.totals.PromptAccepted).toBeUndefined();
    expect(refusals).toEqual({
      user: '403 ADMIN_ROLE_REQUIRED',
      otherTenant: '403 ADMIN_ROLE_REQUIRED',
      noToken: '401 UNAUTHORIZED',
    });
    expect(platform.totals.PromptAccepted).toBeGreaterThanOrEqual(1);
  });

  test("carries an X-Ray trace id in every function's log lines, a new one per invocation", () => {
    // Act
    const lines = logs
      .filter(({ source }) => source !== 'stack' && source !== 'cognito')
      .flatMap(({ source, line }) => {
        if (!line.startsWith('{"level"')) return [];
        return [{ source, entry: JSON.parse(line) as Record<string, unknown> }];
      });
    const ids = new Set(lines.map(({ entry }) => entry.xray_trace_id));
    // Assess
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter(({ entry }) => typeof entry.xray_trace_id !== 'string')).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(ids.size).toBeGreaterThan(1);
    expect(new Set(lines.map(({ source }) => source)).size).toBeGreaterThanOrEqual(2);
  });
});
