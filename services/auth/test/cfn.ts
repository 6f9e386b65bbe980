import type { CfnResource, CfnTemplate } from '@tenant-assistant/testing';

// Reading a template's structure (references, cycles, role statements). Conditions and every
// other intrinsic are resolved by the one resolver in @tenant-assistant/local-stack.

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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
