import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { regionProblem, stageProblem } from '@tenant-assistant/lambda-kit/stage';
import {
  type CloudFormationTemplate,
  parseCloudFormationYaml,
  resolveIntrinsics,
} from '@tenant-assistant/local-stack';
import {
  type CfnTemplate,
  checkStackImports,
  type PackageServiceOptions,
  packageService,
  type StackTemplate,
} from '@tenant-assistant/testing';
import { REPO_ROOT } from './state';

/**
 * What `scripts/deploy.sh` deploys, and from where each service's imports come: every service packaged
 * (offline, no credentials) for the stage and region with the parameters the deploy passes, and every
 * `Fn::ImportValue` matched to the export of a stack deployed before it. Packaging stops on a missing
 * parameter (naming it) and the plan on a dangling import, before anything is deployed.
 */

/** Deploy order: each later stack reads the earlier ones' exports. */
export const DEPLOY_ORDER = ['auth', 'order-action-group', 'chat-api', 'agent-invoker', 'web'] as const;
export type DeployedService = (typeof DEPLOY_ORDER)[number];

export interface DeployOptions {
  stage: string;
  region: string;
  /** The chat UI's origin (e.g. `https://chat.example.com`). */
  webOrigin: string;
}

/** Why the options cannot be deployed, or undefined. */
export const deployOptionsProblem = (options: DeployOptions): string | undefined => {
  if (options.stage === 'local') return 'The local stage is not deployed: run ./scripts/dev.sh';
  const rule = stageProblem(options.stage) ?? regionProblem(options.region);
  if (rule) return rule;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(options.webOrigin))
    return `--web-origin is required: the chat UI's origin such as https://chat.example.com (got "${options.webOrigin}"), for the sign-in callback and sign-out URLs and the CORS origins of auth and chat-api`;
  return undefined;
};

/** The `--param` values the deploy passes each service (the web addresses; nothing else is set). */
export const deployParams = (options: DeployOptions): Record<DeployedService, Record<string, string>> => {
  const origin = options.webOrigin.replace(/\/$/, '');
  return {
    auth: { callbackUrls: `${origin}/`, logoutUrls: `${origin}/`, corsOrigins: origin, webOrigin: origin },
    'order-action-group': {},
    'chat-api': { webOrigin: origin },
    'agent-invoker': {},
    web: {},
  };
};

export interface ServicePlan {
  service: DeployedService;
  stack: string;
  /** Each stage parameter as the service will use it: its source text, with the stage filled in. */
  params: { name: string; value: string; from: 'deploy' | 'stage' | 'default' }[];
  /** Each import and the stack (and output) that exports it. */
  imports: { name: string; from: string; output: string }[];
}

const stackOf = (service: DeployedService, stage: string) => `tenant-assistant-${service}-${stage}`;

/** A parameter's value as written in serverless.yml (`!ImportValue …`, `!Sub …`, a literal). */
const describeValue = (value: unknown, fill: (text: string) => string): string => {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return fill(String(value));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const [fn, argument] = Object.entries(value)[0] ?? [];
    if (fn === 'Fn::ImportValue') return `import ${describeValue(argument, fill)}`;
    if (fn === 'Fn::Sub' && typeof argument === 'string') return `!Sub ${fill(argument)}`;
    if (fn === 'Ref') return `!Ref ${String(argument)}`;
  }
  return fill(JSON.stringify(value));
};

/** The stage parameters of a service's serverless.yml: defaults, the stage's own, then the deploy's. */
const paramsOf = (service: DeployedService, options: DeployOptions, given: Record<string, string>) => {
  const config = parseCloudFormationYaml(
    readFileSync(join(REPO_ROOT, 'services', service, 'serverless.yml'), 'utf8'),
  ) as { params?: Record<string, Record<string, unknown> | undefined> };
  // The framework's own variables a parameter may hold (not template strings).
  const variables: Record<string, string> = {
    'sls:stage': options.stage,
    'self:service': `tenant-assistant-${service}`,
    'self:provider.region': options.region,
  };
  const fill = (text: string) =>
    text.replace(
      /\$\{(sls:stage|self:service|self:provider\.region)\}/g,
      (_, name: string) => variables[name] ?? '',
    );
  const merged = new Map<string, { value: string; from: ServicePlan['params'][number]['from'] }>();
  for (const [source, from] of [
    [config.params?.default ?? {}, 'default'],
    [config.params?.[options.stage] ?? {}, 'stage'],
  ] as const)
    for (const [name, value] of Object.entries(source))
      merged.set(name, { value: describeValue(value, fill), from });
  for (const [name, value] of Object.entries(given)) merged.set(name, { value, from: 'deploy' });
  return [...merged].map(([name, entry]) => ({ name, ...entry }));
};

/** Packages one service as the deploy would (replaceable in tests by already packaged templates). */
export type PackageOne = (service: DeployedService, options: PackageServiceOptions) => Promise<CfnTemplate>;

const packageFromRepo: PackageOne = (service, options) =>
  packageService(join(REPO_ROOT, 'services', service), options);

/**
 * The deployment plan; throws with every problem (a refused stage, a missing parameter as the
 * service's packaging reports it, an import no earlier stack exports) before anything is deployed.
 */
export const planDeployment = async (
  options: DeployOptions,
  packageOne: PackageOne = packageFromRepo,
): Promise<ServicePlan[]> => {
  const problem = deployOptionsProblem(options);
  if (problem) throw new Error(problem);
  const params = deployParams(options);
  const stacks: StackTemplate[] = [];
  for (const service of DEPLOY_ORDER) {
    const template = await packageOne(service, {
      stage: options.stage,
      region: options.region,
      params: params[service],
    });
    stacks.push({ stack: stackOf(service, options.stage), template });
  }
  const resolve = (value: unknown, stack: StackTemplate): string | undefined => {
    try {
      const resolved = resolveIntrinsics(value, {
        region: options.region,
        stackName: stack.stack,
        template: stack.template as CloudFormationTemplate,
      });
      return typeof resolved === 'string' ? resolved : undefined;
    } catch {
      return undefined;
    }
  };
  const { problems, imports } = checkStackImports(stacks, resolve);
  if (problems.length > 0)
    throw new Error(
      `Not deployable in this order:\n${problems.map((entry) => `  ${entry.stack} ${entry.at}: ${entry.message}`).join('\n')}`,
    );
  const outputOf = (stack: string, name: string): string => {
    const template = stacks.find((candidate) => candidate.stack === stack) as StackTemplate;
    const [key] =
      Object.entries(template.template.Outputs ?? {}).find(
        ([, output]) => output.Export && resolve(output.Export.Name, template) === name,
      ) ?? [];
    return key ?? '?';
  };
  return DEPLOY_ORDER.map((service) => {
    const stack = stackOf(service, options.stage);
    const own = new Map<string, { name: string; from: string; output: string }>();
    for (const entry of imports.filter((candidate) => candidate.stack === stack))
      own.set(entry.name, { name: entry.name, from: entry.from, output: outputOf(entry.from, entry.name) });
    return {
      service,
      stack,
      params: paramsOf(service, options, params[service]),
      imports: [...own.values()].sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
};

/** The plan as the deploy tool prints it. */
export const formatPlan = (plan: readonly ServicePlan[]): string =>
  plan
    .map((entry, index) =>
      [
        `${index + 1}. ${entry.service} (stack ${entry.stack})`,
        '   parameters:',
        ...entry.params.map((param) => `     ${param.name} = ${param.value}  [${param.from}]`),
        entry.imports.length === 0 ? '   imports: none' : '   imports:',
        ...entry.imports.map((item) => `     ${item.name}  ← ${item.from} (output ${item.output})`),
      ].join('\n'),
    )
    .join('\n');
