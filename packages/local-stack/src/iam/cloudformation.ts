import { parse as parseYaml, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { ConfigurationError, UnresolvedIntrinsicError } from '../errors';
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  type NamedPolicy,
  type PolicyDocument,
  type RoleRegistry,
} from './types';

/** What intrinsic functions resolve against. Everything has a local default. */
export interface IntrinsicContext {
  accountId?: string;
  region?: string;
  partition?: string;
  stackName?: string;
  /** Values for `Ref: <LogicalId or Parameter>` (wins over what the template itself implies). */
  refs?: Record<string, unknown>;
  /** Values for `Fn::GetAtt` as `"<LogicalId>.<Attribute>"`. */
  attributes?: Record<string, unknown>;
  /** Values for `Fn::ImportValue` (the other stacks' exported outputs). */
  imports?: Record<string, unknown>;
  /** The whole template, used for `Parameters` defaults, `Mappings`, `Conditions` and resource names. */
  template?: CloudFormationTemplate;
}

/** A (packaged) template, typed loosely so any parsed template fits. */
export interface CloudFormationTemplate {
  Parameters?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Condition?: string } | undefined
  >;
  Outputs?: Record<string, unknown>;
}

const NO_VALUE = Symbol('AWS::NoValue');

const INTRINSIC_NAMES = [
  'Ref',
  'Condition',
  'Fn::Sub',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::Base64',
  'Fn::If',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Physical name a resource gets locally: its explicit name property, else `<stack>-<LogicalId>`. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Cognito::UserPool': 'UserPoolName',
};

class Resolver {
  private readonly accountId: string;
  private readonly region: string;
  private readonly partition: string;
  private readonly stackName: string;
  private readonly template: CloudFormationTemplate;
  private readonly resolving = new Set<string>();

  constructor(private readonly context: IntrinsicContext) {
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
    if (keys.length === 1 && (INTRINSIC_NAMES as readonly string[]).includes(keys[0] as string)) {
      return this.intrinsic(keys[0] as string, value[keys[0] as string], path);
    }
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = this.resolve(value[key], `${path}.${key}`);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private fail(path: string, message: string): never {
    throw new UnresolvedIntrinsicError(`${path}: ${message}`);
  }

  private intrinsic(name: string, argument: unknown, path: string): unknown {
    const at = `${path}.${name}`;
    switch (name) {
      case 'Ref':
        if (typeof argument !== 'string') this.fail(at, 'Ref takes a logical id');
        return this.ref(argument, at);
      case 'Condition':
        if (typeof argument !== 'string') this.fail(at, 'Condition takes a condition name');
        return this.condition(argument, at);
      case 'Fn::Sub':
        return this.sub(argument, at);
      case 'Fn::GetAtt': {
        const parts = typeof argument === 'string' ? splitOnce(argument, '.') : this.resolve(argument, at);
        if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === 'string')) {
          this.fail(at, 'Fn::GetAtt takes [LogicalId, Attribute]');
        }
        return this.getAtt(parts[0] as string, parts[1] as string, at);
      }
      case 'Fn::Join': {
        const args = this.resolve(argument, at);
        if (!Array.isArray(args) || typeof args[0] !== 'string' || !Array.isArray(args[1])) {
          this.fail(at, 'Fn::Join takes [delimiter, [values]]');
        }
        return (args[1] as unknown[]).map((item) => this.scalar(item, at)).join(args[0] as string);
      }
      case 'Fn::Select': {
        const args = this.resolve(argument, at);
        if (!Array.isArray(args) || !Array.isArray(args[1]))
          this.fail(at, 'Fn::Select takes [index, [values]]');
        const index = Number(args[0]);
        const list = args[1] as unknown[];
        if (!Number.isInteger(index) || index < 0 || index >= list.length)
          this.fail(at, 'index out of range');
        return list[index];
      }
      case 'Fn::Split': {
        const args = this.resolve(argument, at);
        if (!Array.isArray(args) || typeof args[0] !== 'string' || typeof args[1] !== 'string') {
          this.fail(at, 'Fn::Split takes [delimiter, string]');
        }
        return (args[1] as string).split(args[0] as string);
      }
      case 'Fn::ImportValue': {
        const exportName = this.scalar(this.resolve(argument, at), at);
        const imports = this.context.imports ?? {};
        if (!(exportName in imports)) {
          this.fail(at, `no value for the import "${exportName}" (pass it in context.imports)`);
        }
        return imports[exportName];
      }
      case 'Fn::FindInMap': {
        const args = this.resolve(argument, at);
        if (!Array.isArray(args) || args.length < 3) this.fail(at, 'Fn::FindInMap takes [map, key, key]');
        const [map, top, second] = args.map((a) => this.scalar(a, at));
        const mapping = this.template.Mappings?.[map as string];
        const level = isRecord(mapping) ? mapping[top as string] : undefined;
        const value = isRecord(level) ? level[second as string] : undefined;
        if (value === undefined) this.fail(at, `mapping ${map}.${top}.${second} not found`);
        return value;
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
      case 'Fn::Base64':
        return Buffer.from(this.scalar(this.resolve(argument, at), at), 'utf8').toString('base64');
      case 'Fn::If': {
        if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') {
          this.fail(at, 'Fn::If takes [condition, valueIfTrue, valueIfFalse]');
        }
        return this.condition(argument[0], at)
          ? this.resolve(argument[1], at)
          : this.resolve(argument[2], at);
      }
      case 'Fn::Equals': {
        const args = this.resolve(argument, at);
        if (!Array.isArray(args) || args.length !== 2) this.fail(at, 'Fn::Equals takes two values');
        return JSON.stringify(args[0]) === JSON.stringify(args[1]);
      }
      case 'Fn::Not': {
        const args = this.resolve(argument, at);
        if (!Array.isArray(args) || args.length !== 1) this.fail(at, 'Fn::Not takes one condition');
        return !args[0];
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const args = this.resolve(argument, at);
        if (!Array.isArray(args)) this.fail(at, `${name} takes a list of conditions`);
        return name === 'Fn::And' ? args.every(Boolean) : args.some(Boolean);
      }
      default:
        return this.fail(at, `unsupported intrinsic function ${name}`);
    }
  }

  private scalar(value: unknown, path: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.fail(path, `expected a plain value, got ${JSON.stringify(value)}`);
  }

  private condition(name: string, path: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) this.fail(path, `condition "${name}" is not defined`);
    return Boolean(
      this.guarded(`Condition:${name}`, path, () => this.resolve(definition, `Conditions.${name}`)),
    );
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
    if (resource) {
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
    return this.fail(path, `cannot resolve Ref to "${name}" (pass it in context.refs)`);
  }

  private physicalName(logicalId: string, path: string): string {
    return this.guarded(`Name:${logicalId}`, path, () => {
      const resource = this.template.Resources?.[logicalId];
      const property = resource ? NAME_PROPERTIES[resource.Type] : undefined;
      const explicit = property ? resource?.Properties?.[property] : undefined;
      if (explicit !== undefined) return this.scalar(this.resolve(explicit, `Resources.${logicalId}`), path);
      // CloudFormation generates `<stack>-<LogicalId>-<random>`, shortened to the type's limit
      // (64 characters for IAM roles); locally the name is that without the random part.
      const generated = `${this.stackName}-${logicalId}`;
      return resource?.Type === 'AWS::IAM::Role' ? generated.slice(0, 64) : generated;
    });
  }

  private arnOf(logicalId: string, type: string, name: string, path: string): string {
    const { partition, region, accountId } = this;
    switch (type) {
      case 'AWS::IAM::Role': {
        const rolePath = this.template.Resources?.[logicalId]?.Properties?.Path;
        const prefix = typeof rolePath === 'string' ? rolePath : '/';
        return `arn:${partition}:iam::${accountId}:role${prefix}${name}`;
      }
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${partition}:iam::${accountId}:policy/${name}`;
      case 'AWS::DynamoDB::Table':
        return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::Events::EventBus':
        return `arn:${partition}:events:${region}:${accountId}:event-bus/${name}`;
      case 'AWS::Events::Rule':
        return `arn:${partition}:events:${region}:${accountId}:rule/${name}`;
      case 'AWS::Lambda::Function':
        return `arn:${partition}:lambda:${region}:${accountId}:function:${name}`;
      case 'AWS::SQS::Queue':
        return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
      case 'AWS::SNS::Topic':
        return `arn:${partition}:sns:${region}:${accountId}:${name}`;
      case 'AWS::S3::Bucket':
        return `arn:${partition}:s3:::${name}`;
      case 'AWS::Cognito::UserPool':
        return `arn:${partition}:cognito-idp:${region}:${accountId}:userpool/${name}`;
      default:
        return this.fail(
          path,
          `cannot derive the ARN of ${logicalId} (${type}); pass it in context.attributes`,
        );
    }
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

  private sub(argument: unknown, path: string): string {
    let template: unknown = argument;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(argument)) {
      template = argument[0];
      const rawVariables = argument[1];
      if (rawVariables !== undefined && !isRecord(rawVariables))
        this.fail(path, 'Fn::Sub variables must be a map');
      variables = rawVariables ? (this.resolve(rawVariables, path) as Record<string, unknown>) : {};
    }
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

const splitOnce = (value: string, separator: string): string[] => {
  const index = value.indexOf(separator);
  return index < 0 ? [value] : [value.slice(0, index), value.slice(index + 1)];
};

/**
 * Resolves CloudFormation intrinsic functions (`Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`, …) to plain
 * values, as CloudFormation does at deploy time. In `Fn::Sub`, `${!x}` becomes the literal `${x}` — so
 * `!Sub "…${!aws:PrincipalTag/tenantId}"` yields the IAM policy variable `${aws:PrincipalTag/tenantId}`.
 */
export const resolveIntrinsics = (value: unknown, context: IntrinsicContext = {}): unknown => {
  const resolved = new Resolver(context).resolve(value, '$');
  return resolved === NO_VALUE ? undefined : resolved;
};

/** Resolves a policy document written with intrinsics (as in a packaged template) to plain JSON. */
export const resolvePolicyDocument = (document: unknown, context: IntrinsicContext = {}): PolicyDocument => {
  const resolved = resolveIntrinsics(document, context);
  if (!isRecord(resolved) || resolved.Statement === undefined) {
    throw new ConfigurationError('A policy document needs a Statement');
  }
  return resolved as unknown as PolicyDocument;
};

const toArray = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Extracts every `AWS::IAM::Role` of a (packaged) CloudFormation template as a role registry for the
 * STS stand-in and the DynamoDB gateway: trust policy, inline `Policies`, and the template's own
 * `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` resources attached to the role. A role without an
 * explicit `RoleName` is named `<stackName>-<LogicalId>` (CloudFormation would add a random suffix).
 */
export const rolesFromCloudFormationTemplate = (
  template: CloudFormationTemplate,
  context: Omit<IntrinsicContext, 'template'> = {},
): RoleRegistry => {
  const ctx: IntrinsicContext = { ...context, template };
  const resolver = new Resolver(ctx);
  const resources = template.Resources ?? {};
  const roles: Record<string, { arn: string; name: string; definition: RoleRegistry[string] }> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::IAM::Role') continue;
    const props = resource.Properties ?? {};
    const name = String(resolver.ref(logicalId, `Resources.${logicalId}`));
    const arn = String(resolver.getAtt(logicalId, 'Arn', `Resources.${logicalId}`));
    const policies: NamedPolicy[] = toArray(props.Policies).map((policy, index) => {
      const p = resolveIntrinsics(policy, ctx) as { PolicyName?: string; PolicyDocument?: unknown };
      return {
        name: String(p.PolicyName ?? `${logicalId}Policy${index}`),
        document: resolvePolicyDocument(p.PolicyDocument, ctx),
      };
    });
    const unmodelled: string[] = [];
    const managedArns = toArray(resolveIntrinsics(props.ManagedPolicyArns, ctx)).map(String);
    for (const managedArn of managedArns) {
      const local = Object.entries(resources).find(
        ([id, r]) =>
          r?.Type === 'AWS::IAM::ManagedPolicy' && resolver.ref(id, `Resources.${id}`) === managedArn,
      );
      if (local?.[1]) {
        policies.push({
          name: local[0],
          document: resolvePolicyDocument(local[1].Properties?.PolicyDocument, ctx),
        });
      } else {
        unmodelled.push(managedArn);
      }
    }
    const maxSession = props.MaxSessionDuration;
    roles[logicalId] = {
      arn,
      name,
      definition: {
        trustPolicy: props.AssumeRolePolicyDocument
          ? resolvePolicyDocument(props.AssumeRolePolicyDocument, ctx)
          : undefined,
        policies,
        maxSessionDurationSeconds:
          maxSession === undefined ? undefined : Number(resolveIntrinsics(maxSession, ctx)),
        unmodelledManagedPolicyArns: unmodelled.length ? unmodelled : undefined,
      },
    };
  }
  // Standalone policies that name the role in `Roles`.
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::IAM::Policy' && resource?.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const props = resource.Properties ?? {};
    const roleNames = toArray(resolveIntrinsics(props.Roles, ctx)).map(String);
    if (roleNames.length === 0) continue;
    const document = resolvePolicyDocument(props.PolicyDocument, ctx);
    const policyName = String(resolveIntrinsics(props.PolicyName, ctx) ?? logicalId);
    for (const role of Object.values(roles)) {
      if (roleNames.includes(role.name)) role.definition.policies.push({ name: policyName, document });
    }
  }
  return Object.fromEntries(Object.values(roles).map((role) => [role.arn, role.definition]));
};

const INTRINSIC_TAGS: Array<[tag: string, key: string]> = [
  ['!Ref', 'Ref'],
  ['!Condition', 'Condition'],
  ...[
    'Sub',
    'GetAtt',
    'Join',
    'Select',
    'Split',
    'ImportValue',
    'FindInMap',
    'GetAZs',
    'Base64',
    'If',
    'Equals',
    'Not',
    'And',
    'Or',
    'Cidr',
    'Transform',
  ].map((name): [string, string] => [`!${name}`, `Fn::${name}`]),
];

/**
 * Custom tags for the `yaml` package so CloudFormation short forms (`!Sub`, `!Ref`, `!GetAtt a.b`, …)
 * parse into their long JSON forms (`{"Fn::Sub": …}`).
 */
export const cloudFormationYamlTags = INTRINSIC_TAGS.flatMap(([tag, key]) => [
  {
    tag,
    resolve: (value: string) => ({ [key]: key === 'Fn::GetAtt' ? splitOnce(value, '.') : value }),
  } satisfies ScalarTag,
  {
    tag,
    collection: 'seq' as const,
    resolve: (seq: YAMLSeq | YAMLMap) => ({ [key]: seq.toJSON() }),
  },
  {
    tag,
    collection: 'map' as const,
    resolve: (map: YAMLSeq | YAMLMap) => ({ [key]: map.toJSON() }),
  },
]);

/** Parses YAML that may contain CloudFormation short-form tags (serverless.yml, templates). */
export const parseCloudFormationYaml = (text: string): unknown => {
  try {
    return parseYaml(text, { customTags: cloudFormationYamlTags, maxAliasCount: 1000 }) as unknown;
  } catch (error) {
    throw new ConfigurationError(`Cannot parse YAML: ${(error as Error).message}`, { cause: error });
  }
};
