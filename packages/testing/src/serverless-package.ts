import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
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
  /** Region to package for (`--region`; default: the service's own default, us-east-1). */
  region?: string;
  /** Stage parameters passed as `--param key=value`. */
  params?: Record<string, string>;
  /** Extra environment for the framework. */
  env?: Record<string, string>;
}

/**
 * Web addresses for packaging a stage other than `local`: auth and chat-api have no defaults for
 * them there (they refuse to package without them) and ignore what they do not declare.
 * @example packageService(dir, { stage: 'dev', params: webAddressParams })
 */
export const webAddressParams: Readonly<Record<string, string>> = {
  callbackUrls: 'https://chat.example.com/',
  logoutUrls: 'https://chat.example.com/',
  corsOrigins: 'https://chat.example.com',
  webOrigin: 'https://chat.example.com',
};

const cache = new Map<string, Promise<CfnTemplate>>();

/**
 * Runs `serverless package` for the service in `serviceDir` into a temporary folder, offline and
 * with no AWS credentials, and returns the generated CloudFormation template. Results are cached
 * per (dir, options) within one test process. Each run packages a throw-away copy of the folder, so
 * runs may overlap with each other and with a `serverless` command in the folder itself.
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
  const pending = packageOnce(serviceDir, options);
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  return pending;
};

/** Folder entries never copied into the throw-away copy (build output, tests' output, links; also `.esbuild-*`, the local system's and invoke-local's work folders). */
const SKIPPED = new Set([
  'node_modules',
  '.serverless',
  '.esbuild',
  'coverage',
  '.jest-results.json',
  'tsconfig.json',
]);

const packageOnce = async (serviceDir: string, options: PackageServiceOptions): Promise<CfnTemplate> => {
  const bin = join(serviceDir, 'node_modules', '.bin', 'serverless');
  if (!existsSync(bin)) throw new Error(`serverless is not installed in ${serviceDir}`);
  // The framework always writes `<service>/.serverless` and esbuild `<service>/.esbuild`: two runs in
  // one folder at once (jest workers, turbo running `build` beside `test`, the dev command) would
  // overwrite each other. So each run packages a throw-away copy whose node_modules is a link.
  const work = await mkdtemp(join(tmpdir(), 'sls-package-'));
  const copy = join(work, 'service');
  const out = join(work, 'out');
  try {
    for (const entry of await readdir(serviceDir)) {
      if (!SKIPPED.has(entry) && !entry.startsWith('.esbuild-'))
        await cp(join(serviceDir, entry), join(copy, entry), { recursive: true });
    }
    await symlink(join(serviceDir, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const args = ['package', '--stage', options.stage ?? 'dev', '--package', out];
    if (options.region) args.push('--region', options.region);
    for (const [name, value] of Object.entries(options.params ?? {}))
      args.push('--param', `${name}=${value}`);
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...options.env };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
      delete env[name];
    }
    await run(bin, args, { cwd: copy, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(
      await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed in ${serviceDir}:\n${stdout}\n${stderr}`, { cause: error });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};

/**
 * The template's resources of one CloudFormation type, as `[logicalId, resource]` pairs.
 * @example const [[id, pool]] = resourcesOfType(template, 'AWS::Cognito::UserPool');
 */
export const resourcesOfType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** One stack of a deployment: its name and packaged template. */
export interface StackTemplate {
  stack: string;
  template: CfnTemplate;
}

/** A service of the project packaged as the stack it deploys as. */
export interface PackagedStack extends StackTemplate {
  service: string;
}

/**
 * Packages each service folder of `servicesDir` named in `services`, one at a time (each run bundles
 * with esbuild, and the machine's cores are shared), and names each as the stack it deploys as,
 * `tenant-assistant-<service>-<stage>`; the order given (the deploy order) is kept.
 *
 * @example const stacks = await packageServices(servicesDir, ['auth', 'chat-api'], { stage: 'dev', params: webAddressParams });
 */
export const packageServices = async (
  servicesDir: string,
  services: readonly string[],
  options: PackageServiceOptions = {},
): Promise<PackagedStack[]> => {
  const stacks: PackagedStack[] = [];
  for (const service of services) {
    const template = await packageService(join(servicesDir, service), options);
    stacks.push({ service, stack: `tenant-assistant-${service}-${options.stage ?? 'dev'}`, template });
  }
  return stacks;
};

/**
 * What `serverless invoke local` printed as the function's result: the pretty-printed JSON it ends
 * its output with (log lines before it are one-line JSON). `undefined` when the function returned
 * nothing it prints.
 *
 * @example const response = invokeLocalResponse(stdout) as { statusCode: number };
 */
export const invokeLocalResponse = (stdout: string): unknown => {
  const start = `\n${stdout}`.lastIndexOf('\n{\n');
  return start < 0 ? undefined : JSON.parse(stdout.slice(start));
};
