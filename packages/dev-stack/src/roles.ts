import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  eventBusPoliciesFromTemplate,
  type FunctionRole,
  functionRolesFromTemplate,
  type LocalSts,
  type PolicyDocument,
  type RoleRegistry,
  rolesFromCloudFormationTemplate,
} from '@tenant-assistant/local-stack';
import { type CfnTemplate, packageService } from '@tenant-assistant/testing';

/**
 * IAM of the local system as packaged: each service's `serverless package --stage local` template
 * gives the roles (with their policies), which function runs as which role, and the bus policies.
 * Driven by the templates alone, so a new function or role needs no change here.
 */

export interface LocalIam {
  /** Every role of every packaged template, by ARN. */
  roles: RoleRegistry;
  /** Every function and its execution role. */
  functions: FunctionRole[];
  /** Resource policies of the event buses, by bus name. */
  busPolicies: Record<string, PolicyDocument>;
}

/** Files of a service folder that shape its packaged template (not its code). */
const templateInputs = (serviceDir: string): string[] => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (
        ['node_modules', '.serverless', '.esbuild', 'src', 'test', 'events', 'dist', 'coverage'].includes(
          entry,
        )
      )
        continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(entry) && !entry.startsWith('.jest-results')) files.push(path);
    }
  };
  walk(serviceDir);
  return files.sort();
};

/**
 * `serverless package --stage <stage>` of a service (offline, no credentials), cached on disk by a
 * hash of the files that shape the template, so only the first start after a change pays for it.
 */
export const packagedTemplate = async (serviceDir: string, stage: string): Promise<CfnTemplate> => {
  const hash = createHash('sha256').update(stage);
  for (const file of templateInputs(serviceDir)) {
    hash.update(relative(serviceDir, file));
    hash.update(readFileSync(file));
  }
  const cacheDir = join(tmpdir(), 'tenant-assistant-packaged-templates');
  const cached = join(cacheDir, `${hash.digest('hex').slice(0, 32)}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as CfnTemplate;
  const template = await packageService(serviceDir, { stage });
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(template));
  renameSync(partial, cached);
  return template;
};

/**
 * The stack name the framework gives a service (`<service>-<stage>`), read from its exports:
 * `<stack>-<OutputKey>` (the services' own) or `sls-<stack>-<OutputKey>` (the framework's).
 */
const stackNameOf = (template: CfnTemplate, fallback: string): string => {
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const name = output.Export?.Name;
    if (typeof name !== 'string' || !name.endsWith(`-${key}`)) continue;
    return name.slice(0, -(key.length + 1)).replace(/^sls-/, '');
  }
  return fallback;
};

/** Roles, function roles and bus policies of the packaged templates. */
export const localIamOf = (
  templates: Readonly<Record<string, CfnTemplate>>,
  context: { accountId: string; region: string; stage: string },
): LocalIam => {
  const roles: Record<string, RoleRegistry[string]> = {};
  const functions: FunctionRole[] = [];
  const busPolicies: Record<string, PolicyDocument> = {};
  for (const [service, template] of Object.entries(templates)) {
    const ctx = {
      accountId: context.accountId,
      region: context.region,
      stackName: stackNameOf(template, `${service}-${context.stage}`),
    };
    Object.assign(roles, rolesFromCloudFormationTemplate(template as never, ctx));
    functions.push(...functionRolesFromTemplate(template as never, ctx));
    for (const [bus, policy] of Object.entries(eventBusPoliciesFromTemplate(template as never, ctx))) {
      const existing = busPolicies[bus];
      const statements = (document: PolicyDocument) =>
        Array.isArray(document.Statement) ? document.Statement : [document.Statement];
      busPolicies[bus] = existing
        ? { Version: '2012-10-17', Statement: [...statements(existing), ...statements(policy)] }
        : policy;
    }
  }
  return { roles, functions, busPolicies };
};

/** A function's credentials for its own role, as the local serverless plugin reads them. */
export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
}

export const functionCredentialsFile = (dataDir: string): string =>
  join(dataDir, 'function-credentials.json');

/**
 * Mints, for every function, a session of its execution role (as Lambda does, named after the
 * function) and writes them where the local serverless plugin (`TA_LOCAL_FUNCTION_CREDENTIALS`)
 * finds them. The file is readable by its owner only.
 */
export const issueFunctionCredentials = async (
  sts: LocalSts,
  functions: readonly FunctionRole[],
  file: string,
): Promise<Record<string, FunctionCredentials>> => {
  const credentials: Record<string, FunctionCredentials> = {};
  for (const fn of functions) {
    const session = await sts.issueServiceSession({ roleArn: fn.roleArn, roleSessionName: fn.functionName });
    credentials[fn.functionName] = {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      roleArn: fn.roleArn,
    };
  }
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
};

/** The credentials the running local system gave one function (for tools that act as it). */
export const readFunctionCredentials = (file: string, functionName: string): FunctionCredentials => {
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, FunctionCredentials>;
  const own = all[functionName];
  if (!own) throw new Error(`The local system has no credentials for ${functionName} (restart it)`);
  return own;
};
