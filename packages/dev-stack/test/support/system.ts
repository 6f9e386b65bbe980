import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantTier } from '@tenant-assistant/tenant-context/tiers';
import { TEST_PORT_OFFSETS, testPorts } from '../../src/ports';
import { seedStack } from '../../src/seed';
import { type RunningStack, type StartStackOptions, startStack } from '../../src/stack';

/** A seeded local system that a suite starts once before its tests and stops after them. */
export interface TestSystem {
  readonly stack: RunningStack;
  /** The system's data folder (its Cognito pool, the local mailbox), removed afterwards. */
  readonly dataDir: string;
}

export interface TestSystemOptions extends Omit<StartStackOptions, 'dataDir' | 'ports'> {
  /** Which of {@link TEST_PORT_OFFSETS} the suite's ports are shifted by (plus `TA_TEST_PORT_SHIFT`). */
  ports: keyof typeof TEST_PORT_OFFSETS;
  /** Onboards every seeded tenant with this tier instead of its own. */
  tier?: TenantTier;
  /** How long start-up and seeding may take. */
  startTimeoutMs?: number;
}

/**
 * Registers the hooks that start a local system (in memory unless told otherwise, no web app, on
 * the suite's own ports), seed it with the known development password, and stop it and remove its
 * data folder after the suite; the returned object reads the running system.
 */
export const useTestSystem = ({
  ports,
  tier,
  startTimeoutMs = 300_000,
  ...options
}: TestSystemOptions): TestSystem => {
  let stack: RunningStack | undefined;
  let dataDir: string | undefined;
  const running = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the local system has not started');
    return value;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `tenant-assistant-${ports}-`));
    stack = await startStack({
      inMemory: true,
      web: false,
      ...options,
      dataDir,
      ports: testPorts(TEST_PORT_OFFSETS[ports]),
    });
    await seedStack(stack.info, { knownPasswords: true, dataDir, ...(tier ? { tier } : {}) });
  }, startTimeoutMs);

  afterAll(async () => {
    await stack?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  return {
    get stack() {
      return running(stack);
    },
    get dataDir() {
      return running(dataDir);
    },
  };
};
