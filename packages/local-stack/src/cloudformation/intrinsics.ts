import { ConfigurationError, UnresolvedIntrinsicError } from '../errors';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type PolicyDocument } from '../iam/types';
import {
  arnOfResource,
  type CloudFormationTemplate,
  type IntrinsicContext,
  isRecord,
  namePropertyOf,
  splitOnce,
} from './template';

const NO_VALUE = Symbol('AWS::NoValue');

/** The functions that decide between values; in `conditions` mode only these are resolved. */
const CONDITION_FUNCTIONS = new Set(['Fn::If', 'Condition']);

export type Mode = 'all' | 'conditions';
type IntrinsicFunction = (argument: unknown, at: string) => unknown;

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** CloudFormation compares plain values as strings (`"1"` equals `1`), anything else by structure. */
const equal = (left: unknown, right: unknown): boolean =>
  isScalar(left) && isScalar(right)
    ? String(left) === String(right)
    : JSON.stringify(left) === JSON.stringify(right);

/** Resolves the intrinsics of one template; in `conditions` mode only `Fn::If` and `Condition`. */
export class Resolver {
  private readonly accountId: string;
  private readonly region: string;
  private readonly partition: string;
  private readonly stackName: string;
  private readonly template: CloudFormationTemplate;
  private readonly resolving = new Set<string>();
  private readonly conditionValues = new Map<string, boolean>();
  private readonly functions: Record<string, IntrinsicFunction> = {
    Ref: (argument, at) => this.ref(this.stringArgument(argument, at, 'Ref takes a logical id'), at),
    Condition: (argument, at) =>
      this.condition(this.stringArgument(argument, at, 'Condition takes a condition name'), at),
    'Fn::Sub': (argument, at) => this.sub(argument, at),
    'Fn::GetAtt': (argument, at) => this.getAttFunction(argument, at),
    'Fn::Join': (argument, at) => this.join(argument, at),
    'Fn::Select': (argument, at) => this.select(argument, at),
    'Fn::Split': (argument, at) => this.split(argument, at),
    'Fn::ImportValue': (argument, at) => this.importValue(argument, at),
    'Fn::FindInMap': (argument, at) => this.findInMap(argument, at),
    'Fn::GetAZs': () => ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`),
    'Fn::Base64': (argument, at) =>
      Buffer.from(this.scalar(this.resolve(argument, at), at), 'utf8').toString('base64'),
    'Fn::If': (argument, at) => this.if(argument, at),
    'Fn::Equals': (argument, at) => {
      const args = this.resolve(argument, at);
      if (!Array.isArray(args) || args.length !== 2) this.fail(at, 'Fn::Equals takes two values');
      return equal(args[0], args[1]);
    },
    'Fn::Not': (argument, at) => {
      const args = this.resolve(argument, at);
      if (!Array.isArray(args) || args.length !== 1) this.fail(at, 'Fn::Not takes one condition');
      return !args[0];
    },
    'Fn::And': (argument, at) => this.conditionList(argument, at, 'Fn::And').every(Boolean),
    'Fn::Or': (argument, at) => this.conditionList(argument, at, 'Fn::Or').some(Boolean),
  };

  constructor(
    private readonly context: IntrinsicContext,
    private readonly mode: Mode = 'all',
  ) {
    this.accountId = context.accountId ?? LOCAL_ACCOUNT_ID;
    this.region = context.region ?? LOCAL_REGION;
    this.partition = context.partition ?? 'aws';
    this.stackName = context.stackName ?? 'local-stack';
    this.template = context.template ?? {};
  }

  resolve(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      return value
        .map((item, index) => this.resolve(item, `${path}[${index}]`))
        .filter((item) => item !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    const [name] = keys;
    if (keys.length === 1 && name !== undefined && Object.hasOwn(this.functions, name)) {
      return this.intrinsic(name, value[name], `${path}.${name}`);
    }
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = this.resolve(value[key], `${path}.${key}`);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  /** Whether the template's condition `name` holds (evaluated once, cycles refused). */
  condition(name: string, path: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) this.fail(path, `condition "${name}" is not defined`);
    const value = Boolean(
      this.guarded(`Condition:${name}`, path, () =>
        this.inFullMode().resolve(definition, `Conditions.${name}`),
      ),
    );
    this.conditionValues.set(name, value);
    return value;
  }

  private intrinsic(name: string, argument: unknown, at: string): unknown {
    const keepAsWritten =
      this.mode === 'conditions' &&
      !CONDITION_FUNCTIONS.has(name) &&
      !(name === 'Ref' && argument === 'AWS::NoValue');
    if (keepAsWritten) return { [name]: this.resolve(argument, at) };
    return (this.functions[name] as IntrinsicFunction)(argument, at);
  }

  private fullResolver?: Resolver;

  /** Conditions are plain values of the parameters: they resolve every function they use. */
  private inFullMode(): Resolver {
    if (this.mode === 'all') return this;
    this.fullResolver ??= new Resolver(this.context, 'all');
    return this.fullResolver;
  }

  private fail(path: string, message: string): never {
    throw new UnresolvedIntrinsicError(`${path}: ${message}`);
  }

  private stringArgument(argument: unknown, at: string, message: string): string {
    if (typeof argument !== 'string') this.fail(at, message);
    return argument;
  }

  private scalar(value: unknown, path: string): string {
    if (isScalar(value)) return String(value);
    return this.fail(path, `expected a plain value, got ${JSON.stringify(value)}`);
  }

  private guarded<T>(key: string, path: string, compute: () => T): T {
    if (this.resolving.has(key)) this.fail(path, `circular reference through ${key}`);
    this.resolving.add(key);
    try {
      return compute();
    } finally {
      this.resolving.delete(key);
    }
  }

  private getAttFunction(argument: unknown, at: string): unknown {
    const parts = typeof argument === 'string' ? splitOnce(argument, '.') : this.resolve(argument, at);
    if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === 'string')) {
      this.fail(at, 'Fn::GetAtt takes [LogicalId, Attribute]');
    }
    return this.getAtt(parts[0] as string, parts[1] as string, at);
  }

  private join(argument: unknown, at: string): string {
    const args = this.resolve(argument, at);
    if (!Array.isArray(args) || typeof args[0] !== 'string' || !Array.isArray(args[1])) {
      this.fail(at, 'Fn::Join takes [delimiter, [values]]');
    }
    return (args[1] as unknown[]).map((item) => this.scalar(item, at)).join(args[0] as string);
  }

  private select(argument: unknown, at: string): unknown {
    const args = this.resolve(argument, at);
    if (!Array.isArray(args) || !Array.isArray(args[1])) this.fail(at, 'Fn::Select takes [index, [values]]');
    const index = Number(args[0]);
    const list = args[1] as unknown[];
    if (!Number.isInteger(index) || index < 0 || index >= list.length) this.fail(at, 'index out of range');
    return list[index];
  }

  private split(argument: unknown, at: string): string[] {
    const args = this.resolve(argument, at);
    if (!Array.isArray(args) || typeof args[0] !== 'string' || typeof args[1] !== 'string') {
      this.fail(at, 'Fn::Split takes [delimiter, string]');
    }
    return (args[1] as string).split(args[0] as string);
  }

  private importValue(argument: unknown, at: string): unknown {
    const exportName = this.scalar(this.resolve(argument, at), at);
    const imports = this.context.imports ?? {};
    if (!(exportName in imports)) {
      this.fail(at, `no value for the import "${exportName}" (pass it in context.imports)`);
    }
    return imports[exportName];
  }

  private findInMap(argument: unknown, at: string): unknown {
    const args = this.resolve(argument, at);
    if (!Array.isArray(args) || args.length < 3) this.fail(at, 'Fn::FindInMap takes [map, key, key]');
    const [map, top, second] = args.map((a) => this.scalar(a, at));
    const mapping = this.template.Mappings?.[map as string];
    const level = isRecord(mapping) ? mapping[top as string] : undefined;
    const value = isRecord(level) ? level[second as string] : undefined;
    if (value === undefined) this.fail(at, `mapping ${map}.${top}.${second} not found`);
    return value;
  }

  private if(argument: unknown, at: string): unknown {
    if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') {
      this.fail(at, 'Fn::If takes [condition, valueIfTrue, valueIfFalse]');
    }
    return this.condition(argument[0], at) ? this.resolve(argument[1], at) : this.resolve(argument[2], at);
  }

  private conditionList(argument: unknown, at: string, name: string): unknown[] {
    const args = this.resolve(argument, at);
    if (!Array.isArray(args)) this.fail(at, `${name} takes a list of conditions`);
    return args;
  }

  private pseudo(name: string): string | typeof NO_VALUE | undefined {
    switch (name) {
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${this.region}:${this.accountId}:stack/${this.stackName}/local`;
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  ref(name: string, path: string): unknown {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    const refs = this.context.refs ?? {};
    if (name in refs) return refs[name];
    const parameter = this.template.Parameters?.[name];
    if (isRecord(parameter) && parameter.Default !== undefined) return parameter.Default;
    const resource = this.template.Resources?.[name];
    if (!resource) return this.fail(path, `cannot resolve Ref to "${name}" (pass it in context.refs)`);
    const physicalName = this.physicalName(name, path);
    switch (resource.Type) {
      case 'AWS::SNS::Topic':
      case 'AWS::IAM::ManagedPolicy':
        return this.arnOf(name, resource.Type, physicalName, path);
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.region}.amazonaws.com/${this.accountId}/${physicalName}`;
      default:
        return physicalName;
    }
  }

  private physicalName(logicalId: string, path: string): string {
    return this.guarded(`Name:${logicalId}`, path, () => {
      const resource = this.template.Resources?.[logicalId];
      const property = resource ? namePropertyOf(resource.Type) : undefined;
      const explicit = property ? resource?.Properties?.[property] : undefined;
      if (explicit !== undefined) return this.scalar(this.resolve(explicit, `Resources.${logicalId}`), path);
      // CloudFormation generates `<stack>-<LogicalId>-<random>`, shortened to the type's limit
      // (64 characters for IAM roles); locally the name is that without the random part.
      const generated = `${this.stackName}-${logicalId}`;
      return resource?.Type === 'AWS::IAM::Role' ? generated.slice(0, 64) : generated;
    });
  }

  private arnOf(logicalId: string, type: string, name: string, path: string): string {
    const rolePath = this.template.Resources?.[logicalId]?.Properties?.Path;
    const arn = arnOfResource(
      type,
      name,
      { partition: this.partition, region: this.region, accountId: this.accountId },
      typeof rolePath === 'string' ? rolePath : '/',
    );
    if (arn !== undefined) return arn;
    return this.fail(path, `cannot derive the ARN of ${logicalId} (${type}); pass it in context.attributes`);
  }

  getAtt(logicalId: string, attribute: string, path: string): unknown {
    const attributes = this.context.attributes ?? {};
    const key = `${logicalId}.${attribute}`;
    if (key in attributes) return attributes[key];
    const resource = this.template.Resources?.[logicalId];
    if (!resource) return this.fail(path, `cannot resolve Fn::GetAtt ${key} (pass it in context.attributes)`);
    const name = this.physicalName(logicalId, path);
    if (attribute === 'Arn') return this.arnOf(logicalId, resource.Type, name, path);
    if (attribute === 'Name' || attribute === 'QueueName' || attribute === 'TopicName') return name;
    if (attribute === 'StreamArn' && resource.Type === 'AWS::DynamoDB::Table') {
      return `${this.arnOf(logicalId, resource.Type, name, path)}/stream/local`;
    }
    return this.fail(path, `cannot resolve Fn::GetAtt ${key} (pass it in context.attributes)`);
  }

  private subVariables(argument: unknown, path: string): [template: unknown, Record<string, unknown>] {
    if (!Array.isArray(argument)) return [argument, {}];
    const rawVariables = argument[1];
    if (rawVariables !== undefined && !isRecord(rawVariables))
      this.fail(path, 'Fn::Sub variables must be a map');
    const variables = rawVariables ? (this.resolve(rawVariables, path) as Record<string, unknown>) : {};
    return [argument[0], variables];
  }

  private sub(argument: unknown, path: string): string {
    const [template, variables] = this.subVariables(argument, path);
    if (typeof template !== 'string')
      return this.fail(path, 'Fn::Sub takes a string or [string, {variables}]');
    return template.replace(/\$\{([^}]*)\}/g, (_whole, expression: string) => {
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      const name = expression.trim();
      if (name in variables) return this.scalar(variables[name], path);
      const pseudo = this.pseudo(name);
      if (typeof pseudo === 'string') return pseudo;
      if (name.includes(':') && !name.startsWith('AWS::')) {
        return this.fail(
          path,
          `Fn::Sub cannot resolve "\${${name}}"; CloudFormation would fail too. Write "\${!${name}}" to keep an IAM policy variable`,
        );
      }
      const dot = name.indexOf('.');
      if (dot > 0) return this.scalar(this.getAtt(name.slice(0, dot), name.slice(dot + 1), path), path);
      return this.scalar(this.ref(name, path), path);
    });
  }
}

/** One resolver over one template, for callers that resolve many values of it (names stay cached). */
export const intrinsicResolver = (context: IntrinsicContext = {}) => {
  const resolver = new Resolver(context);
  return {
    resolve: (value: unknown): unknown => {
      const resolved = resolver.resolve(value, '$');
      return resolved === NO_VALUE ? undefined : resolved;
    },
    ref: (logicalId: string): unknown => resolver.ref(logicalId, `Resources.${logicalId}`),
    getAtt: (logicalId: string, attribute: string): unknown =>
      resolver.getAtt(logicalId, attribute, `Resources.${logicalId}`),
  };
};

/**
 * Resolves CloudFormation intrinsic functions (`Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`, …) to plain
 * values, as CloudFormation does at deploy time. In `Fn::Sub`, `${!x}` becomes the literal `${x}` — so
 * `!Sub "…${!aws:PrincipalTag/tenantId}"` yields the IAM policy variable `${aws:PrincipalTag/tenantId}`.
 */
export const resolveIntrinsics = (value: unknown, context: IntrinsicContext = {}): unknown =>
  intrinsicResolver(context).resolve(value);

/** Resolves a policy document written with intrinsics (as in a packaged template) to plain JSON. */
export const resolvePolicyDocument = (document: unknown, context: IntrinsicContext = {}): PolicyDocument => {
  const resolved = resolveIntrinsics(document, context);
  if (!isRecord(resolved) || resolved.Statement === undefined) {
    throw new ConfigurationError('A policy document needs a Statement');
  }
  return resolved as unknown as PolicyDocument;
};
