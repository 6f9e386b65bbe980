import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type {
  Property,
  PropertyType,
  Resource,
  SpecDatabase,
  TypeDefinition,
} from '@aws-cdk/service-spec-types';
import type { CfnTemplate } from './serverless-package';
import {
  dependencyCycle,
  intrinsicOf,
  isRecord,
  LIST_FUNCTIONS,
  PSEUDO_PARAMETERS,
  referencesIn,
  SCALAR_FUNCTIONS,
} from './template-references';

/**
 * Packaged templates judged against AWS's CloudFormation resource specification (the offline
 * database of `@aws-cdk/aws-service-spec`, the one the CDK generates its L1 classes from), before
 * anything is deployed: resource types, property names at every depth, required properties, value
 * shapes, `Ref` / `Fn::GetAtt` / `Fn::Sub` targets and attributes, `DependsOn` and `Condition`
 * names, dependency cycles. Across stacks, every `Fn::ImportValue` is judged in `stack-imports.ts`.
 */

/** One problem, located as `<Resources|Outputs>.<LogicalId>.<path>`. */
export interface TemplateProblem {
  at: string;
  message: string;
}

let database: SpecDatabase | undefined;
/** The specification database, loaded once per process (~1.5 s, ~150 MB). */
export const cloudFormationSpec = (): SpecDatabase => {
  database ??= loadAwsServiceSpecSync();
  return database;
};

class SchemaChecker {
  readonly problems: TemplateProblem[] = [];
  private readonly resources: Record<string, { Type: string } & Record<string, unknown>>;

  constructor(
    private readonly spec: SpecDatabase,
    private readonly template: CfnTemplate,
  ) {
    this.resources = template.Resources as never;
  }

  private problem(at: string, message: string): void {
    this.problems.push({ at, message });
  }

  private resourceSpec(type: string): Resource | undefined {
    return this.spec.lookup('resource', 'cloudFormationType', 'equals', type)[0];
  }

  check(): TemplateProblem[] {
    const conditions = new Set(Object.keys(this.template.Conditions ?? {}));
    for (const [id, resource] of Object.entries(this.template.Resources)) {
      const at = `Resources.${id}`;
      if (resource.Condition !== undefined && !conditions.has(resource.Condition))
        this.problem(at, `Condition "${resource.Condition}" is not defined in Conditions`);
      for (const dependency of resource.DependsOn === undefined ? [] : [resource.DependsOn].flat())
        if (!(dependency in this.template.Resources))
          this.problem(`${at}.DependsOn`, `DependsOn "${dependency}" is not a resource of this template`);
      if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource')
        continue;
      const spec = this.resourceSpec(resource.Type);
      if (!spec) {
        this.problem(at, `resource type ${resource.Type} does not exist in the CloudFormation specification`);
        continue;
      }
      this.checkObject(resource.Properties ?? {}, spec.properties, `${at}.Properties`, resource.Type);
    }
    for (const [id, output] of Object.entries(this.template.Outputs ?? {}))
      this.checkReferences(output, `Outputs.${id}`);
    for (const [id, resource] of Object.entries(this.template.Resources))
      this.checkReferences(resource.Properties ?? {}, `Resources.${id}.Properties`);
    this.checkConditionNames();
    this.checkCycles();
    return this.problems;
  }

  /** Ref, GetAtt and Sub name a parameter, a pseudo parameter or a resource (with an attribute it has). */
  private checkReferences(value: unknown, at: string): void {
    const parameters = this.template.Parameters ?? {};
    for (const reference of referencesIn(value, at)) {
      if (reference.attribute === undefined) {
        if (
          reference.id in parameters ||
          PSEUDO_PARAMETERS.has(reference.id) ||
          reference.id in this.resources
        )
          continue;
        this.problem(
          reference.at,
          `${reference.via} "${reference.id}" is neither a resource, a parameter nor a pseudo parameter`,
        );
        continue;
      }
      const target = this.resources[reference.id];
      if (!target) {
        this.problem(
          reference.at,
          `${reference.via} "${reference.id}.${reference.attribute}": no resource ${reference.id} in this template`,
        );
        continue;
      }
      if (target.Type.startsWith('Custom::') || target.Type === 'AWS::CloudFormation::CustomResource')
        continue;
      const spec = this.resourceSpec(target.Type);
      if (spec && !(reference.attribute in spec.attributes))
        this.problem(
          reference.at,
          `${reference.via} "${reference.id}.${reference.attribute}": ${target.Type} has no attribute ${reference.attribute} (it has ${Object.keys(spec.attributes).sort().join(', ') || 'none'})`,
        );
    }
  }

  /** Fn::If and Condition name conditions the template defines. */
  private checkConditionNames(): void {
    const conditions = new Set(Object.keys(this.template.Conditions ?? {}));
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [index, item] of node.entries()) visit(item, `${path}[${index}]`);
        return;
      }
      if (!isRecord(node)) return;
      const named = Array.isArray(node['Fn::If']) ? node['Fn::If'][0] : node.Condition;
      if (typeof named === 'string' && !conditions.has(named) && 'Fn::If' in node)
        this.problem(path, `Fn::If names condition "${named}", which is not defined in Conditions`);
      if (
        typeof node.Condition === 'string' &&
        Object.keys(node).length === 1 &&
        !conditions.has(node.Condition)
      )
        this.problem(path, `Condition "${node.Condition}" is not defined in Conditions`);
      for (const [key, child] of Object.entries(node)) visit(child, `${path}.${key}`);
    };
    visit(this.template.Resources, 'Resources');
    visit(this.template.Outputs ?? {}, 'Outputs');
    visit(this.template.Conditions ?? {}, 'Conditions');
  }

  /** Resources must not depend on each other in a circle (through Ref, GetAtt, Sub or DependsOn). */
  private checkCycles(): void {
    const cycle = dependencyCycle(this.template);
    if (cycle) this.problem(`Resources.${cycle[0]}`, `dependency cycle: ${cycle.join(' → ')}`);
  }

  /** An object of named properties against their specification (a resource's or a nested type's). */
  private checkObject(
    value: unknown,
    properties: Record<string, Property>,
    at: string,
    typeName: string,
  ): void {
    if (intrinsicOf(value) === 'Fn::If') {
      this.checkBranches(value, at, (branch, path) => this.checkObject(branch, properties, path, typeName));
      return;
    }
    if (!isRecord(value) || intrinsicOf(value) !== undefined) {
      this.problem(at, `expected an object of type ${typeName}, got ${describe(value)}`);
      return;
    }
    for (const [name, property] of Object.entries(properties))
      if (property.required && !(name in value))
        this.problem(at, `required property ${name} of ${typeName} is missing`);
    for (const [name, child] of Object.entries(value)) {
      const property = properties[name];
      if (!property) {
        const known = Object.keys(properties).sort().join(', ');
        this.problem(`${at}.${name}`, `${typeName} has no property ${name} (it has ${known || 'none'})`);
        continue;
      }
      if (isRecord(child) && child.Ref === 'AWS::NoValue') continue;
      this.checkValue(child, [property.type, ...(property.previousTypes ?? [])], `${at}.${name}`);
    }
  }

  /** Both branches of an Fn::If, each where the value would be (AWS::NoValue drops the property). */
  private checkBranches(value: unknown, at: string, check: (branch: unknown, at: string) => void): void {
    const args = (value as Record<string, unknown>)['Fn::If'];
    if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
      this.problem(at, 'Fn::If takes [condition, value if true, value if false]');
      return;
    }
    for (const [index, branch] of [args[1], args[2]].entries()) {
      if (isRecord(branch) && branch.Ref === 'AWS::NoValue') continue;
      check(branch, `${at}.Fn::If[${index + 1}]`);
    }
  }

  /** A value that must fit one of `types` (the current type and its previous ones, as the CDK allows). */
  private checkValue(value: unknown, types: PropertyType[], at: string): void {
    const attempts = types.map((type) => {
      const trial = new SchemaChecker(this.spec, this.template);
      trial.checkValueOfType(value, type, at);
      return trial.problems;
    });
    const fits = attempts.find((problems) => problems.length === 0);
    if (fits) return;
    this.problems.push(...(attempts.sort((a, b) => a.length - b.length)[0] ?? []));
  }

  private checkValueOfType(value: unknown, type: PropertyType, at: string): void {
    const fn = intrinsicOf(value);
    if (fn === 'Fn::If') {
      this.checkBranches(value, at, (branch, path) => this.checkValueOfType(branch, type, path));
      return;
    }
    switch (type.type) {
      case 'json':
        return;
      case 'union': {
        const attempts = type.types.map((member) => {
          const trial = new SchemaChecker(this.spec, this.template);
          trial.checkValueOfType(value, member, at);
          return trial.problems;
        });
        if (attempts.some((problems) => problems.length === 0)) return;
        this.problems.push(...(attempts.sort((a, b) => a.length - b.length)[0] ?? []));
        return;
      }
      case 'string':
      case 'date-time':
        if (fn && SCALAR_FUNCTIONS.has(fn)) return;
        if (typeof value === 'string' || typeof value === 'number') {
          if (
            type.type === 'string' &&
            type.allowedValues &&
            typeof value === 'string' &&
            !type.allowedValues.includes(value)
          )
            this.problem(at, `"${value}" is not one of ${type.allowedValues.join(', ')}`);
          return;
        }
        this.problem(at, `expected a string, got ${describe(value)}`);
        return;
      case 'number':
      case 'integer':
        if (fn && SCALAR_FUNCTIONS.has(fn)) return;
        if (
          typeof value === 'number' ||
          (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        ) {
          if (type.type === 'integer' && !Number.isInteger(Number(value)))
            this.problem(at, `expected an integer, got ${value}`);
          return;
        }
        this.problem(at, `expected a number, got ${describe(value)}`);
        return;
      case 'boolean':
        if (fn && SCALAR_FUNCTIONS.has(fn)) return;
        if (typeof value === 'boolean' || value === 'true' || value === 'false') return;
        this.problem(at, `expected a boolean, got ${describe(value)}`);
        return;
      case 'null':
        if (value !== null) this.problem(at, `expected null, got ${describe(value)}`);
        return;
      case 'tag':
        this.checkObject(value, TAG_PROPERTIES, at, 'Tag');
        return;
      case 'array':
        if (fn && (LIST_FUNCTIONS.has(fn) || fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue'))
          return;
        if (!Array.isArray(value)) {
          this.problem(at, `expected a list, got ${describe(value)}`);
          return;
        }
        for (const [index, item] of value.entries())
          this.checkValueOfType(item, type.element, `${at}[${index}]`);
        return;
      case 'map':
        if (!isRecord(value) || fn) {
          this.problem(at, `expected a map, got ${describe(value)}`);
          return;
        }
        for (const [key, item] of Object.entries(value))
          this.checkValueOfType(item, type.element, `${at}.${key}`);
        return;
      case 'ref': {
        const definition = this.spec.get('typeDefinition', type.reference.$ref) as TypeDefinition;
        this.checkObject(value, definition.properties, at, definition.name);
        return;
      }
      default:
        this.problem(at, `unknown specification type ${JSON.stringify(type)}`);
        return;
    }
  }
}

const TAG_PROPERTIES: Record<string, Property> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

const describe = (value: unknown): string => {
  const fn = intrinsicOf(value);
  if (fn) return fn;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
};

/**
 * Every problem of one template against the CloudFormation specification; none means CloudFormation's
 * own template validation would find nothing of these kinds either.
 * @example expect(checkTemplateSchema(template)).toEqual([]);
 */
export const checkTemplateSchema = (
  template: CfnTemplate,
  spec: SpecDatabase = cloudFormationSpec(),
): TemplateProblem[] => new SchemaChecker(spec, template).check();
