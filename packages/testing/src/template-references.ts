import type { CfnTemplate } from './serverless-package';

/**
 * Reading a CloudFormation template's structure: which intrinsic a value is, what it references
 * (`Ref`, `Fn::GetAtt`, `Fn::Sub`) and whether its resources depend on each other in a circle. The
 * schema check and the template tests read templates through these; resolving values is the one
 * resolver's job (`@tenant-assistant/local-stack`).
 */

/** Pseudo parameters CloudFormation defines in every template. */
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** Functions whose result is one string (or number) at deploy time. */
export const SCALAR_FUNCTIONS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::ImportValue',
  'Fn::Select',
  'Fn::FindInMap',
  'Fn::Base64',
]);
/** Functions whose result is a list. */
export const LIST_FUNCTIONS = new Set(['Fn::Split', 'Fn::GetAZs', 'Fn::Cidr']);
const INTRINSICS = new Set([...SCALAR_FUNCTIONS, ...LIST_FUNCTIONS, 'Fn::If', 'Fn::Transform']);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The intrinsic function a value is (`{ "Fn::X": … }` with one key), if it is one. */
export const intrinsicOf = (value: unknown): string | undefined => {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0] as string) ? keys[0] : undefined;
};

/** What a Ref, GetAtt or Sub variable names: a logical id and, for GetAtt, an attribute. */
export interface Reference {
  at: string;
  id: string;
  attribute?: string;
  via: 'Ref' | 'Fn::GetAtt' | 'Fn::Sub';
}

/** Every Ref / Fn::GetAtt / Fn::Sub reference inside a value (Fn::Sub's own variables excluded). */
export const referencesIn = (value: unknown, at = ''): Reference[] => {
  const found: Reference[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, `${path}[${index}]`);
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.Ref === 'string') found.push({ at: path, id: node.Ref, via: 'Ref' });
    const getAtt = node['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const [id, ...attribute] =
        typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt.map(String) : [];
      if (id) found.push({ at: path, id, attribute: attribute.join('.'), via: 'Fn::GetAtt' });
    }
    const sub = node['Fn::Sub'];
    if (sub !== undefined) {
      const [text, variables] = Array.isArray(sub) ? sub : [sub, {}];
      const own = new Set(isRecord(variables) ? Object.keys(variables) : []);
      if (typeof text === 'string')
        for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const [id, ...attribute] = (match[1] as string).trim().split('.');
          if (id && !own.has(match[1] as string))
            found.push({ at: path, id, attribute: attribute.join('.') || undefined, via: 'Fn::Sub' });
        }
      if (isRecord(variables))
        for (const [name, variable] of Object.entries(variables)) visit(variable, `${path}.Fn::Sub.${name}`);
      return;
    }
    for (const [key, child] of Object.entries(node)) visit(child, `${path}.${key}`);
  };
  visit(value, at);
  return found;
};

/**
 * A dependency cycle among the template's resources (through Ref, Fn::GetAtt, Fn::Sub or
 * DependsOn), as the ids along it with the first repeated at the end, or undefined when there is none.
 * @example expect(dependencyCycle(template)).toBeUndefined();
 */
export const dependencyCycle = (template: CfnTemplate): string[] | undefined => {
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const targets = new Set<string>([resource.DependsOn ?? []].flat());
    for (const reference of referencesIn(resource.Properties ?? {})) targets.add(reference.id);
    edges.set(id, new Set([...targets].filter((target) => target in template.Resources)));
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
};
