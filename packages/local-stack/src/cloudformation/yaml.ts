import { parse as parseYaml, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { ConfigurationError } from '../errors';
import { splitOnce } from './template';

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
