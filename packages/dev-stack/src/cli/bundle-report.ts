/**
 * bundle-report [--runs N] [--no-package] [service…]
 * For every function of every service (or the ones named): the bytes of its packaged bundle (the
 * handler .js in the function's own zip, its source map, the zip) and its cold import time — the
 * median of N fresh `node` processes that require the bundle, minus the median of N bare `node`
 * starts. Packages each service first (`serverless package`, offline) unless --no-package.
 * Prints numbers against the targets (≤ 1 MB, ≤ 60 ms); asserts nothing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { webAddressParams } from '@tenant-assistant/testing';
import { REPO_ROOT } from '../state';

const run = promisify(execFile);
const SERVICES = ['auth', 'chat-api', 'agent-invoker', 'order-action-group'];
const TARGET_BYTES = 1_000_000;
const TARGET_IMPORT_MS = 60;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Wall time of one fresh `node` process running `script` (milliseconds). */
const nodeRun = async (script: string, env: NodeJS.ProcessEnv): Promise<number> => {
  const started = performance.now();
  await run(process.execPath, ['-e', script], { env });
  return performance.now() - started;
};

/** The function's environment from the packaged template (intrinsics become placeholders). */
const functionEnv = (template: Record<string, unknown>, functionName: string): NodeJS.ProcessEnv => {
  const resources = (template.Resources ?? {}) as Record<
    string,
    { Type?: string; Properties?: Record<string, unknown> }
  >;
  const logicalId = `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}LambdaFunction`;
  const variables = ((
    resources[logicalId]?.Properties?.Environment as { Variables?: Record<string, unknown> }
  )?.Variables ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : 'placeholder',
    ]),
  );
};

const main = async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: 'string', default: '7' }, 'no-package': { type: 'boolean', default: false } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error('Usage: bundle-report [--runs N] [--no-package] [service…]');
  const services = positionals.length > 0 ? positionals : SERVICES;
  for (const service of services) {
    if (!SERVICES.includes(service))
      throw new Error(`Unknown service ${service} (one of ${SERVICES.join(', ')})`);
  }
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('bundle-report needs the `unzip` command (e.g. apt-get install unzip)');
  }
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
  };
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) bare.push(await nodeRun('process.exit(0)', baseEnv));
  const bareMs = median(bare);
  console.log(
    `bare node start: ${bareMs.toFixed(0)} ms (median of ${runs}); targets: bundle ≤ 1 MB, import ≤ ${TARGET_IMPORT_MS} ms`,
  );
  console.log('service             function              bundle B   map B      zip B    import ms  targets');
  const work = await mkdtemp(join(tmpdir(), 'bundle-report-'));
  try {
    for (const service of services) {
      const dir = join(REPO_ROOT, 'services', service);
      if (!values['no-package']) {
        await run(
          join(dir, 'node_modules', '.bin', 'serverless'),
          [
            'package',
            '--stage',
            'dev',
            // auth and chat-api need the web addresses outside the local stage (the others ignore them)
            ...Object.entries(webAddressParams).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
          ],
          {
            cwd: dir,
            env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
            maxBuffer: 16 * 1024 * 1024,
          },
        );
      }
      const out = join(dir, '.serverless');
      if (!existsSync(out)) throw new Error(`${service}: no .serverless folder (package it first)`);
      const template = JSON.parse(
        readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
      );
      const zips = readdirSync(out).filter((name) => name.endsWith('.zip'));
      for (const zip of zips) {
        const functionName = zip.replace(/\.zip$/, '');
        const target = join(work, service, functionName);
        mkdirSync(target, { recursive: true });
        execFileSync('unzip', ['-q', '-o', join(out, zip), '-d', target]);
        const files = execFileSync('unzip', ['-Z1', join(out, zip)], { encoding: 'utf8' }).split('\n');
        const handlers = files.filter((file) => file.endsWith('.js'));
        const bundle = handlers.reduce((sum, file) => sum + statSync(join(target, file)).size, 0);
        const maps = files
          .filter((file) => file.endsWith('.js.map'))
          .reduce((sum, file) => sum + statSync(join(target, file)).size, 0);
        const env = { ...baseEnv, ...functionEnv(template, functionName) };
        delete env.NODE_OPTIONS; // measured without --enable-source-maps; see the README
        const script = handlers
          .map((file) => `require(${JSON.stringify(join(target, file))});`)
          .join('')
          .concat('process.exit(0);'); // exit at once: timers or sockets opened at load are not load time
        const times: number[] = [];
        let error: string | undefined;
        for (let i = 0; i < runs && !error; i++) {
          try {
            times.push(await nodeRun(script, env));
          } catch (e) {
            error =
              (e as { stderr?: string }).stderr?.split('\n').find((line) => /Error/.test(line)) ?? String(e);
          }
        }
        const importMs = median(times) - bareMs;
        const verdict = [
          bundle <= TARGET_BYTES ? 'size met' : 'size NOT met',
          error ? 'import failed' : importMs <= TARGET_IMPORT_MS ? 'import met' : 'import NOT met',
        ].join(', ');
        console.log(
          `${service.padEnd(19)} ${functionName.padEnd(20)} ${String(bundle).padStart(9)} ${String(maps).padStart(8)} ${String(statSync(join(out, zip)).size).padStart(9)} ${error ? '    error' : importMs.toFixed(0).padStart(9)}  ${verdict}${error ? ` (${error})` : ''}`,
        );
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
