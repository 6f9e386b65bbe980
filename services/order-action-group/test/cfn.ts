import type { CfnTemplate } from '@tenant-assistant/testing';

/** Where the template is pretended to be deployed. */
export interface DeployTarget {
  accountId: string;
  region: string;
  partition?: string;
}

const PHYSICAL_NAME: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::IAM::Role': 'RoleName',
};

/**
 * A minimal resolver of the intrinsics this service's IAM policies use, to turn them into the
 * plain policy text IAM would evaluate: `Fn::Sub` (pseudo parameters, `${LogicalId}`, and
 * `${!literal}` → `${literal}`), `Ref` and `Fn::GetAtt [<table or role>, Arn]`. Anything else throws.
 */
export const resolveIntrinsics = (template: CfnTemplate, target: DeployTarget, value: unknown): unknown => {
  const partition = target.partition ?? 'aws';
  const pseudo: Record<string, string> = {
    'AWS::AccountId': target.accountId,
    'AWS::Region': target.region,
    'AWS::Partition': partition,
  };
  const physicalName = (logicalId: string): string => {
    const resource = template.Resources[logicalId];
    const property = resource ? PHYSICAL_NAME[resource.Type] : undefined;
    const name = property ? resource?.Properties?.[property] : undefined;
    if (typeof name !== 'string') throw new Error(`Cannot resolve a name for ${logicalId}`);
    return name;
  };
  const ref = (name: string): string => pseudo[name] ?? physicalName(name);
  const arn = (logicalId: string): string => {
    const type = template.Resources[logicalId]?.Type;
    const name = physicalName(logicalId);
    if (type === 'AWS::DynamoDB::Table') {
      return `arn:${partition}:dynamodb:${target.region}:${target.accountId}:table/${name}`;
    }
    return `arn:${partition}:iam::${target.accountId}:role/${name}`;
  };
  const sub = (text: string): string =>
    text.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) =>
      literal ? `\${${name}}` : ref(name),
    );
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    const [first] = entries;
    if (entries.length === 1 && first) {
      const [key, argument] = first;
      if (key === 'Fn::Sub' && typeof argument === 'string') return sub(argument);
      if (key === 'Ref' && typeof argument === 'string') return ref(argument);
      if (key === 'Fn::GetAtt' && Array.isArray(argument) && argument[1] === 'Arn')
        return arn(String(argument[0]));
      if (key.startsWith('Fn::')) throw new Error(`Unsupported intrinsic ${key}`);
    }
    return Object.fromEntries(entries.map(([key, child]) => [key, walk(child)]));
  };
  return walk(value);
};
