#!/usr/bin/env node
// mutation-check [name…] — applies isolation-weakening mutations one at a time and shows that each
// makes at least one test fail ("killed"). Each mutation edits one file in place, runs only the tests
// that guard it, and restores the file (also on Ctrl-C). Not a CI step: it runs for several minutes.
// Exit code 1 when a mutation survives (no test failed) or no longer applies (its text is gone).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each: the file, the exact text replaced, its mutant, and the workspace tests that must fail. */
const MUTATIONS = [
  {
    name: "role without the user-level LeadingKeys (TenantDataAccessRole's orders statement)",
    file: 'services/order-action-group/serverless.yml',
    from: `                    ForAllValues:StringEquals:
                      dynamodb:LeadingKeys:
                        - !Sub "\${!aws:PrincipalTag/userId}"
                    "Null":
                      dynamodb:LeadingKeys: "false"`,
    to: `                    "Null":
                      dynamodb:LeadingKeys: "false"`,
    dir: 'services/order-action-group',
    tests: ['test/role-policy.test.ts'],
  },
  {
    name: 'session policy without the user condition',
    file: 'packages/tenant-context/src/session-policy.ts',
    from: `        Resource: [ordersTableArn],
        Condition: leadingKeys(userId),`,
    to: `        Resource: [ordersTableArn],`,
    dir: 'packages/tenant-context',
    tests: ['src/session-policy.test.ts', 'src/credentials.test.ts'],
  },
  {
    name: 'answer ownership check always true',
    file: 'packages/tenant-context/src/answer-id.ts',
    from: `  if (!isAnswerId(answerId) || !isUserId(userId)) return false;
  return answerId.slice(0, answerId.indexOf('.')) === userId;`,
    to: `  return true;`,
    dir: 'packages/tenant-context',
    tests: ['src/answer-id.test.ts'],
  },
  {
    name: 'tenant from the action-group parameters instead of the session attributes',
    file: 'services/order-action-group/src/bedrock/action-group.ts',
    from: `const answer = await action.run(tenantDataDeps(deps, request), request.tenant, args);`,
    to: `const fromParams = { ...request.tenant, ...(typeof params.tenantId === 'string' ? { tenantId: params.tenantId } : {}), ...(typeof params.userId === 'string' ? { userId: params.userId } : {}) } as typeof request.tenant;
          const answer = await action.run(tenantDataDeps(deps, request), fromParams, args);`,
    dir: 'services/order-action-group',
    tests: ['src/functions/actionGroup/handler.test.ts'],
  },
  {
    name: 'tenant from the action-group parameters, end to end against the hostile model',
    file: 'services/order-action-group/src/bedrock/action-group.ts',
    from: `const answer = await action.run(tenantDataDeps(deps, request), request.tenant, args);`,
    to: `const fromParams = { ...request.tenant, ...(typeof params.tenantId === 'string' ? { tenantId: params.tenantId } : {}), ...(typeof params.userId === 'string' ? { userId: params.userId } : {}) } as typeof request.tenant;
          const answer = await action.run(tenantDataDeps(deps, request), fromParams, args);`,
    dir: 'packages/dev-stack',
    tests: ['test/hostile-model.test.ts'],
    note: 'the same mutant as above, judged by the end-to-end suite alone (about 3 minutes): the gateway sees reads outside the session',
  },
  {
    name: "push to every connection of the answer's tenant (not only the owner's)",
    file: 'services/chat-api/test/support/memory.ts',
    from: `        .filter((connection) => connection.userId === userId)`,
    to: `        .filter(() => true)`,
    dir: 'services/chat-api',
    tests: [
      'src/functions/onAnswerEvent/handler.test.ts',
      'src/functions/onAnswerEvent/handler.delivery.test.ts',
      'src/functions/onAnswerEvent/handler.refusals.test.ts',
    ],
    note: 'mutates the in-memory connections port the handler tests use: the production adapter queries the user index only, so the mutant is the port answering a whole tenant',
  },
  {
    name: 'token signature not verified',
    file: 'packages/tenant-context/src/tokens.ts',
    from: `        claims = (await verifier.verify(token)) as TokenClaims;`,
    to: `        claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as TokenClaims;`,
    dir: 'packages/tenant-context',
    tests: ['src/tokens.test.ts'],
  },
  {
    name: "data bus policy removed (chat-api's EventBus)",
    file: 'services/chat-api/resources/bus.yml',
    from: `      Name: \${self:custom.eventBusName}
      Policy:`,
    to: `      Name: \${self:custom.eventBusName}
      UnusedPolicy:`,
    dir: 'packages/dev-stack',
    tests: ['test/bus-policies.test.ts'],
    note: 'renames the Policy property (CloudFormation would refuse the unknown property; the test sees a bus without policy)',
  },
  {
    name: 'membership check skipped',
    file: 'services/agent-invoker/src/domain/answer-prompt.ts',
    from: `    if (!member) throw new NotATenantMemberError();`,
    to: `    if (!member && member) throw new NotATenantMemberError();`,
    dir: 'services/agent-invoker',
    tests: ['src/domain/answer-prompt.test.ts'],
  },
];

const selected = process.argv.slice(2);
const mutations = selected.length
  ? MUTATIONS.filter((m) => selected.some((s) => m.name.includes(s)))
  : MUTATIONS;

let restore;
process.on('SIGINT', () => {
  restore?.();
  process.exit(130);
});

const results = [];
for (const mutation of mutations) {
  const path = join(root, mutation.file);
  const original = readFileSync(path, 'utf8');
  if (!original.includes(mutation.from)) {
    results.push({ mutation, outcome: 'does not apply (text changed: update the mutation)' });
    console.log(`${'DOES NOT APPLY'.padEnd(24)} ${mutation.name} (${mutation.file})`);
    continue;
  }
  restore = () => writeFileSync(path, original);
  writeFileSync(path, original.replace(mutation.from, mutation.to));
  const started = Date.now();
  try {
    const run = spawnSync('npx', ['jest', '--silent', ...mutation.tests], {
      cwd: join(root, mutation.dir),
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    const failed = /Tests:\s+(\d+) failed/.exec(output)?.[1];
    const failedSuites = /Test Suites:\s+(\d+) failed/.exec(output)?.[1];
    // Only failing tests (or a suite that no longer compiles) kill a mutant; a run that found no
    // tests or crashed says nothing about it.
    const outcome =
      run.status !== 0 && failed
        ? `killed (${failed} failing)`
        : run.status !== 0 && failedSuites
          ? `killed (${failedSuites} suite failed to run)`
          : run.status !== 0
            ? `not judged (jest exited ${run.status} without a failing test)`
            : 'SURVIVED';
    results.push({ mutation, outcome, seconds: Math.round((Date.now() - started) / 1000) });
  } finally {
    restore();
    restore = undefined;
  }
  const last = results.at(-1);
  console.log(
    `${last.outcome.padEnd(24)} ${mutation.name} (${mutation.dir}: ${mutation.tests.join(', ')}, ${last.seconds ?? 0} s)`,
  );
}

const survivors = results.filter((r) => !r.outcome.startsWith('killed'));
console.log(`\n${results.length - survivors.length} of ${results.length} mutations killed.`);
for (const r of survivors) console.log(`  not killed: ${r.mutation.name}: ${r.outcome}`);
process.exit(survivors.length ? 1 : 0);
