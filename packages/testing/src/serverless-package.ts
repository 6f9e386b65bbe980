import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A CloudFormation resource as `serverless package` writes it. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** The packaged CloudFormation template (`cloudformation-template-update-stack.json`). */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Export?: { Name: unknown } }>;
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
}

export interface PackageServiceOptions {
  /** Stage to package (default `dev`). */
  stage?: string;
  /** Stage parameters passed as `--param key=value`. */
  params?: Record<string, string>;
  /** Extra environment for the framework. */
  env?: Record<string, string>;
}

const cache = new Map<string, Promise<CfnTemplate>>();
/** The last packaging run per service folder: runs in one folder share `.esbuild`, so they queue. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `serverless package` for the service in `serviceDir` into a temporary folder, offline and
 * with no AWS credentials, and returns the generated CloudFormation template. Results are cached
 * per (dir, options) within one test process; runs for the same folder are queued, as they share
 * its `.esbuild` build folder.
 *
 * @example
 * const template = await packageService(join(__dirname, '..'), { stage: 'prod' });
 * expect(resourcesOfType(template, 'AWS::Cognito::UserPool')).toHaveLength(1);
 */
export const packageService = (
  serviceDir: string,
  options: PackageServiceOptions = {},
): Promise<CfnTemplate> => {
  const key = JSON.stringify([serviceDir, options]);
  const cached = cache.get(key);
  if (cached) return cached;
  const previous = queues.get(serviceDir) ?? Promise.resolve();
  const pending = previous.catch(() => undefined).then(() => packageOnce(serviceDir, options));
  queues.set(serviceDir, pending);
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  return pending;
};

const packageOnce = async (serviceDir: string, options: PackageServiceOptions): Promise<CfnTemplate> => {
  const bin = join(serviceDir, 'node_modules', '.bin', 'serverless');
  if (!existsSync(bin)) throw new Error(`serverless is not installed in ${serviceDir}`);
  const out = await mkdtemp(join(tmpdir(), 'sls-package-'));
  const args = ['package', '--stage', options.stage ?? 'dev', '--package', out];
  for (const [name, value] of Object.entries(options.params ?? {})) args.push('--param', `${name}=${value}`);
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...options.env };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[name];
  try {
    await run(bin, args, { cwd: serviceDir, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(
      await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed in ${serviceDir}:\n${stdout}\n${stderr}`, { cause: error });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
};

/**
 * The template's resources of one CloudFormation type, as `[logicalId, resource]` pairs.
 * @example const [[id, pool]] = resourcesOfType(template, 'AWS::Cognito::UserPool');
 */
export const resourcesOfType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
