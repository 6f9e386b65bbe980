import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVICES } from '../src/stack';
import { REPO_ROOT } from '../src/state';
import { agentTests } from './invoke-local/agents';
import { authTests } from './invoke-local/auth';
import { chatApiTests } from './invoke-local/chat-api';
import { declaredFunctions, FOLLOW_UPS, SAMPLES, useInvocations } from './invoke-local/support';
import { useTestSystem } from './support/system';

// `./scripts/invoke-local` for every function of every service, each with its sample event from the
// service's `events/`, against a running local system the suite starts and seeds: each function runs
// as its own packaged role (the local serverless plugin gives it that role's credentials) and each
// result is asserted — status and body, refusals, and the side effects in the stand-ins. The samples
// that create things use tenants the seed does not (tenant4, tenant5), so they run after seeding.

// Bounded by the hook's timeout: the 22 invocations took 557 and 568 s on a 2-core machine that was
// running other suites at the same time.
jest.setTimeout(900_000);

const system = useTestSystem({ ports: 'invokeLocal' });

describe('scripts/invoke-local against the running local system', () => {
  const invocations = useInvocations(system);

  test('runs every function of every service', () => {
    // Act
    const declared = declaredFunctions();
    const run = [...new Set([...SAMPLES, ...FOLLOW_UPS].map(([service, fn]) => `${service}/${fn}`))];

    // Assess
    expect(run.sort()).toEqual(declared);
    expect(declared).toHaveLength(20);
  });

  test('leaves no esbuild work folder of its own behind', async () => {
    // Act
    const left: string[] = [];
    for (const { dir } of Object.values(SERVICES)) {
      for (const entry of await readdir(join(REPO_ROOT, dir)))
        if (entry.startsWith('.esbuild-invoke-')) left.push(`${dir}/${entry}`);
    }

    // Assess
    expect(left).toEqual([]);
  });

  authTests(system, invocations);
  chatApiTests(system, invocations);
  agentTests(system, invocations);
});
