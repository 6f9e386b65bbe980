import type { CfnResource, CfnTemplate } from '@tenant-assistant/testing';

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Evaluates the template's Conditions, which in this service compare literals that serverless
 * already resolved from stage parameters (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition).
 */
export const evaluateConditions = (template: CfnTemplate): Record<string, boolean> => {
  const definitions = (template.Conditions ?? {}) as Record<string, Json>;
  const results: Record<string, boolean> = {};
  const evaluate = (expression: Json): boolean => {
    if (!isRecord(expression)) throw new Error(`Unsupported condition ${JSON.stringify(expression)}`);
    const [[fn, args]] = Object.entries(expression) as [[string, Json]];
    const list = args as Json[];
    switch (fn) {
      case 'Fn::Equals':
        if (
          list.some((arg) => typeof arg !== 'string' && typeof arg !== 'number' && typeof arg !== 'boolean')
        ) {
          throw new Error(`Fn::Equals over a non-literal: ${JSON.stringify(list)}`);
        }
        return String(list[0]) === String(list[1]);
      case 'Fn::Not':
        return !evaluate(list[0]);
      case 'Fn::And':
        return list.every(evaluate);
      case 'Fn::Or':
        return list.some(evaluate);
      case 'Condition':
        return named(args as string);
      default:
        throw new Error(`Unsupported condition function ${fn}`);
    }
  };
  const named = (name: string): boolean => {
    if (!(name in results)) results[name] = evaluate(definitions[name]);
    return results[name] as boolean;
  };
  for (const name of Object.keys(definitions)) named(name);
  return results;
};

const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves every Fn::If of `value` with the evaluated conditions and drops `AWS::NoValue`. */
export const resolveConditions = <T>(value: T, conditions: Record<string, boolean>): T => {
  const resolve = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(resolve).filter((item) => item !== NO_VALUE);
    if (!isRecord(node)) return node;
    if (node.Ref === 'AWS::NoValue') return NO_VALUE;
    if ('Fn::If' in node) {
      const [name, whenTrue, whenFalse] = node['Fn::If'] as [string, Json, Json];
      if (!(name in conditions)) throw new Error(`Unknown condition ${name}`);
      return resolve(conditions[name] ? whenTrue : whenFalse);
    }
    return Object.fromEntries(
      Object.entries(node)
        .map(([key, child]) => [key, resolve(child)] as const)
        .filter(([, child]) => child !== NO_VALUE),
    );
  };
  return resolve(value) as T;
};

/** The template with every condition applied: what CloudFormation would deploy. */
export const effectiveTemplate = (template: CfnTemplate): CfnTemplate => {
  const conditions = evaluateConditions(template);
  const resources = Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, resource]) => !resource.Condition || conditions[resource.Condition])
      .map(([id, resource]) => [id, resolveConditions(resource, conditions)]),
  ) as Record<string, CfnResource>;
  return { ...template, Resources: resources };
};

/** Logical ids a value refers to through Ref, Fn::GetAtt and Fn::Sub. */
export const referencedIds = (value: Json): Set<string> => {
  const ids = new Set<string>();
  const visit = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.Ref === 'string' && !node.Ref.startsWith('AWS::')) ids.add(node.Ref);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') ids.add(getAtt[0]);
    if (typeof getAtt === 'string') ids.add(getAtt.split('.')[0] as string);
    const sub = node['Fn::Sub'];
    const subText = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : undefined;
    if (typeof subText === 'string') {
      for (const match of subText.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = (match[1] as string).split('.')[0] as string;
        if (!name.startsWith('AWS::')) ids.add(name);
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(value);
  return ids;
};

/** A dependency cycle among the template's resources, or undefined. */
export const findCycle = (template: CfnTemplate): string[] | undefined => {
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    edges.set(
      id,
      [...referencedIds(resource.Properties ?? {}), ...dependsOn].filter((ref) => ref in template.Resources),
    );
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
};

/** An IAM policy statement as the template holds it. */
export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: Json;
  Principal?: Json;
  Condition?: Record<string, Record<string, Json>>;
}

/** Every statement of a role's inline policies. */
export const roleStatements = (role: CfnResource): Statement[] =>
  ((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

/** A statement's actions as a list. */
export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
