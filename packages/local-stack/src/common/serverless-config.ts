import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseCloudFormationYaml } from '../cloudformation';
import { ConfigurationError } from '../errors';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../iam/types';

/** How to resolve a serverless.yml the way `serverless package --stage <stage>` would. */
export interface ServerlessConfigOptions {
  /** `${sls:stage}` / `${opt:stage}`; default: `provider.stage`'s fallback, else `dev`. */
  stage?: string;
  /** `${opt:region}` / `${aws:region}`; default `provider.region`, else `us-east-1`. */
  region?: string;
  /** `${aws:accountId}`; default `000000000000`. */
  accountId?: string;
  /** `--param name=value` overrides for `${param:name}`. */
  params?: Readonly<Record<string, unknown>>;
  /** Environment for `${env:NAME}`; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Variables of the sources this reader understands; anything else (`${ssm:…}`, `${cf:…}`) is left as written. */
const VARIABLE = /\$\{((?:self|sls|opt|env|param|aws):[^${}]*|file\([^)]*\)(?::[^${}]*)?)\}/;

const UNRESOLVED = Symbol('unresolved');

/**
 * A serverless.yml read with its own variables resolved on demand (`${self:…}`, `${sls:stage}`,
 * `${opt:stage, 'dev'}`, `${param:…}` with stage-specific params, `${env:…}`, `${aws:region}`,
 * `${aws:accountId}`). CloudFormation short-form tags (`!Sub`, `!GetAtt`, …) parse to their long forms.
 */
export class ServerlessConfig {
  readonly raw: Json;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  private readonly resolving = new Set<string>();

  constructor(
    raw: unknown,
    private readonly options: ServerlessConfigOptions = {},
    readonly path = 'serverless.yml',
  ) {
    if (!isRecord(raw)) throw new ConfigurationError(`${path} is not a YAML mapping`);
    this.raw = raw;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    const provider = isRecord(raw.provider) ? raw.provider : {};
    this.stage = options.stage ?? this.literalFallback(provider.stage) ?? 'dev';
    this.region = options.region ?? this.literalFallback(provider.region) ?? LOCAL_REGION;
  }

  static load(path: string, options: ServerlessConfigOptions = {}): ServerlessConfig {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigurationError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    return new ServerlessConfig(parseCloudFormationYaml(text), options, path);
  }

  /** `${opt:stage, 'dev'}` → `dev`; a plain string → itself. */
  private literalFallback(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    if (!value.includes('${')) return value;
    const fallback = /,\s*['"]([^'"]*)['"]\s*\}$/.exec(value);
    return fallback?.[1];
  }

  get service(): string {
    const service = this.raw.service;
    const name = isRecord(service) ? service.name : service;
    const resolved = this.resolve(name);
    if (typeof resolved !== 'string') throw new ConfigurationError(`${this.path} has no service name`);
    return resolved;
  }

  /**
   * The `resources` section as one CloudFormation fragment: serverless merges a list of fragments
   * (often `- ${file(resources/x.yml)}`) into one. Variables are resolved.
   */
  resources(): { Resources: Json; Conditions: Json; Outputs: Json } {
    const section = this.resolve(this.raw.resources);
    const fragments = Array.isArray(section) ? section : [section];
    const merged = { Resources: {} as Json, Conditions: {} as Json, Outputs: {} as Json };
    for (const fragment of fragments) {
      if (!isRecord(fragment)) continue;
      for (const key of ['Resources', 'Conditions', 'Outputs'] as const) {
        if (isRecord(fragment[key])) Object.assign(merged[key], fragment[key]);
      }
    }
    return merged;
  }

  /** Resolves every serverless variable in a value (deeply). Unknown sources stay as written. */
  resolve(value: unknown): unknown {
    if (typeof value === 'string') return this.resolveString(value);
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (isRecord(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    return value;
  }

  private resolveString(text: string): unknown {
    let current: unknown = text;
    for (let guard = 0; guard < 100 && typeof current === 'string'; guard += 1) {
      const match = VARIABLE.exec(current);
      if (!match) return current;
      const value = this.variable(match[1] as string);
      if (value === UNRESOLVED) {
        // Leave it visible (and stop) so a caller can report it.
        return current;
      }
      if (match[0] === current) {
        current = this.resolve(value);
      } else {
        // An object cannot be embedded in a string: leave the variable visible for the caller to report.
        if (typeof value === 'object' && value !== null) return current;
        current = current.replace(match[0], String(value));
      }
    }
    return current;
  }

  private variable(body: string): unknown {
    const [address, ...fallbacks] = splitTopLevel(body);
    const primary = this.source((address as string).trim());
    if (primary !== undefined && primary !== UNRESOLVED) return primary;
    for (const fallback of fallbacks) {
      const literal = parseLiteral(fallback.trim());
      if (literal.isLiteral) return literal.value;
      const value = this.source(fallback.trim());
      if (value !== undefined && value !== UNRESOLVED) return value;
    }
    return UNRESOLVED;
  }

  /** `${file(./x.yml)}` / `${file(./x.yml):a.b}` for YAML and JSON files, relative to the serverless.yml. */
  private file(relative: string, subPath?: string): unknown {
    const path = resolvePath(dirname(this.path), relative.replace(/^['"]|['"]$/g, ''));
    let parsed: unknown;
    try {
      const text = readFileSync(path, 'utf8');
      parsed = /\.json$/i.test(path) ? JSON.parse(text) : parseCloudFormationYaml(text);
    } catch {
      return UNRESOLVED;
    }
    const value = subPath ? getPath(parsed, subPath) : parsed;
    return value === undefined ? UNRESOLVED : this.resolve(value);
  }

  private source(address: string): unknown {
    const file = /^file\(([^)]*)\)(?::(.*))?$/.exec(address);
    if (file) return this.file((file[1] as string).trim(), file[2]?.trim());
    const colon = address.indexOf(':');
    const source = address.slice(0, colon);
    const key = address.slice(colon + 1).trim();
    switch (source) {
      case 'self': {
        if (this.resolving.has(key)) throw new ConfigurationError(`${this.path}: circular \${self:${key}}`);
        this.resolving.add(key);
        try {
          const value = key === '' ? this.raw : getPath(this.raw, key);
          return value === undefined ? UNRESOLVED : this.resolve(value);
        } finally {
          this.resolving.delete(key);
        }
      }
      case 'sls':
        if (key === 'stage') return this.stage;
        if (key === 'instanceId') return 'local';
        return UNRESOLVED;
      case 'opt':
        if (key === 'stage') return this.options.stage ?? UNRESOLVED;
        if (key === 'region') return this.options.region ?? UNRESOLVED;
        return UNRESOLVED;
      case 'aws':
        if (key === 'region') return this.region;
        if (key === 'accountId') return this.accountId;
        return UNRESOLVED;
      case 'env': {
        const env = this.options.env ?? process.env;
        return env[key] ?? UNRESOLVED;
      }
      case 'param': {
        if (this.options.params && key in this.options.params) return this.options.params[key];
        const params = isRecord(this.raw.params) ? this.raw.params : {};
        const forStage = isRecord(params[this.stage]) ? (params[this.stage] as Json) : {};
        if (key in forStage) return this.resolve(forStage[key]);
        const defaults = isRecord(params.default) ? params.default : {};
        if (key in defaults) return this.resolve(defaults[key]);
        return UNRESOLVED;
      }
      default:
        return UNRESOLVED;
    }
  }
}

const getPath = (root: unknown, path: string): unknown => {
  let current = root;
  for (const part of path.split('.')) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = (current as Json)[part];
  }
  return current;
};

const splitTopLevel = (body: string): string[] => {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ',') {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
};

const parseLiteral = (text: string): { isLiteral: boolean; value?: unknown } => {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return { isLiteral: true, value: quoted[2] };
  if (text === 'null') return { isLiteral: true, value: null };
  if (text === 'true' || text === 'false') return { isLiteral: true, value: text === 'true' };
  if (text !== '' && !Number.isNaN(Number(text))) return { isLiteral: true, value: Number(text) };
  return { isLiteral: false };
};

/** Serverless's logical id for a function's Lambda: `provisionTenant` → `ProvisionTenantLambdaFunction`. */
export const functionLogicalId = (functionName: string): string =>
  `${`${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}`
    .replace(/-/g, 'Dash')
    .replace(/_/g, 'Underscore')}LambdaFunction`;
