import { BlockList, isIP } from 'node:net';
import { InvalidEventPatternError } from '../errors';

/**
 * EventBridge content filtering (event patterns), following the semantics of AWS's event-ruler
 * (`rulesForJSONEvent`): values in a pattern array are OR-ed, fields are AND-ed, an array in the event
 * matches when any element matches, and fields inside different elements of one array never combine.
 */
export type EventPattern = { readonly [field: string]: unknown };

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

const invalid = (path: string, reason: string): never => {
  throw new InvalidEventPatternError(
    `Event pattern is not valid. Reason: ${reason} at ${path || 'the top level'}`,
  );
};

const isStringOrNumberList = (value: unknown[]) =>
  value.length > 0 &&
  (value.every((v) => typeof v === 'string') || value.every((v) => typeof v === 'number'));

const validateWildcard = (value: string, path: string) => {
  for (let i = 0; i < value.length; i += 1) {
    if (value[i] === '\\') {
      if (value[i + 1] !== '*' && value[i + 1] !== '\\') invalid(path, 'a wildcard may escape only * and \\');
      i += 1;
    } else if (value[i] === '*' && value[i + 1] === '*') {
      invalid(path, 'consecutive wildcard characters are not allowed');
    }
  }
};

const validateStringOrIgnoreCase = (value: unknown, path: string, operator: string) => {
  if (typeof value === 'string') return;
  if (isRecord(value) && Object.keys(value).length === 1 && typeof value['equals-ignore-case'] === 'string')
    return;
  invalid(path, `${operator} match pattern must be a string or {"equals-ignore-case": string}`);
};

const validateNumeric = (value: unknown, path: string) => {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4)) {
    invalid(path, 'numeric match takes one or two [operator, number] pairs');
  }
  const pairs = value as unknown[];
  for (let i = 0; i < pairs.length; i += 2) {
    const op = pairs[i];
    const operand = pairs[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op))
      invalid(path, `unrecognized numeric range operator: ${String(op)}`);
    if (typeof operand !== 'number' || !Number.isFinite(operand))
      invalid(path, 'value of numeric range must be numeric');
    if (Math.abs(operand as number) > 5e9) invalid(path, 'numeric values must be between -5.0E9 and 5.0E9');
  }
  if (pairs.length === 4) {
    const [lowOp, low, highOp, high] = pairs as [string, number, string, number];
    if (!(lowOp === '>' || lowOp === '>=') || !(highOp === '<' || highOp === '<=')) {
      invalid(path, 'a numeric range needs a lower bound (> or >=) followed by an upper bound (< or <=)');
    }
    if (low >= high) invalid(path, 'bottom must be less than top');
  }
};

const validateCidr = (value: unknown, path: string) => {
  if (typeof value !== 'string') return invalid(path, 'cidr must be a string');
  const [network, bits, extra] = value.split('/');
  const family = network ? isIP(network) : 0;
  const prefix = Number(bits);
  if (
    extra !== undefined ||
    family === 0 ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > (family === 4 ? 32 : 128)
  ) {
    invalid(path, `nonstandard IP address: ${value}`);
  }
};

const validateMatcher = (rule: Json, path: string) => {
  const keys = Object.keys(rule);
  if (keys.length !== 1) invalid(path, 'a match expression takes exactly one operator');
  const operator = keys[0] as string;
  const value = rule[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return validateStringOrIgnoreCase(value, path, operator);
    case 'equals-ignore-case':
      if (typeof value !== 'string') invalid(path, 'equals-ignore-case match pattern must be a string');
      return;
    case 'wildcard':
      if (typeof value !== 'string') invalid(path, 'wildcard match pattern must be a string');
      return validateWildcard(value as string, path);
    case 'exists':
      if (typeof value !== 'boolean') invalid(path, 'exists match pattern must be either true or false');
      return;
    case 'numeric':
      return validateNumeric(value, path);
    case 'cidr':
      return validateCidr(value, path);
    case 'anything-but': {
      if (typeof value === 'string' || typeof value === 'number') return;
      if (Array.isArray(value)) {
        if (!isStringOrNumberList(value))
          invalid(path, 'anything-but list must contain only strings or only numbers');
        return;
      }
      if (isRecord(value) && Object.keys(value).length === 1) {
        const [inner, innerValue] = Object.entries(value)[0] as [string, unknown];
        if ((inner === 'prefix' || inner === 'suffix') && typeof innerValue === 'string') return;
        if (inner === 'equals-ignore-case' || inner === 'wildcard') {
          const list = Array.isArray(innerValue) ? innerValue : [innerValue];
          if (list.length > 0 && list.every((v) => typeof v === 'string')) {
            if (inner === 'wildcard') for (const w of list as string[]) validateWildcard(w, path);
            return;
          }
        }
      }
      return invalid(path, 'unsupported anything-but pattern');
    }
    default:
      return invalid(path, `unrecognized match type ${operator}`);
  }
};

const isOrArray = (value: unknown): value is Json[] =>
  Array.isArray(value) && value.length >= 2 && value.every((v) => isRecord(v));

const validateObject = (pattern: unknown, path: string) => {
  if (!isRecord(pattern)) return invalid(path, 'a pattern must be a JSON object');
  if (Object.keys(pattern).length === 0) return invalid(path, 'empty pattern objects are not allowed');
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or' && Array.isArray(value)) {
      if (!isOrArray(value)) invalid(at, '$or takes an array of at least two pattern objects');
      value.forEach((sub, index) => {
        validateObject(sub, `${at}[${index}]`);
      });
    } else if (Array.isArray(value)) {
      if (value.length === 0) invalid(at, 'empty arrays are not allowed');
      for (const rule of value) {
        if (isRecord(rule)) validateMatcher(rule, at);
        else if (Array.isArray(rule))
          invalid(at, 'match values must be strings, numbers, booleans, null or match expressions');
      }
    } else if (isRecord(value)) {
      validateObject(value, at);
    } else {
      invalid(at, 'match value must be put inside a JSON array');
    }
  }
};

/** Throws InvalidEventPatternError for a pattern EventBridge's PutRule would refuse. */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  validateObject(pattern, '');
}

/** All leaf values of a field: arrays are flattened; objects are not leaves. */
const leavesOf = (value: unknown, present: boolean): unknown[] => {
  if (!present) return [];
  if (Array.isArray(value)) return value.flatMap((item) => leavesOf(item, true));
  if (isRecord(value)) return [];
  return [value];
};

const wildcardToRegExp = (pattern: string, flags = ''): RegExp => {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] as string;
    if (char === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[i + 1]}`;
      i += 1;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, `s${flags}`);
};

const lower = (value: string) => value.toLowerCase();

const stringMatch = (
  operand: unknown,
  value: unknown,
  test: (pattern: string, value: string) => boolean,
): boolean => {
  if (typeof value !== 'string') return false;
  if (typeof operand === 'string') return test(operand, value);
  if (isRecord(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return test(lower(operand['equals-ignore-case']), lower(value));
  }
  return false;
};

const scalarEquals = (expected: unknown, actual: unknown): boolean => {
  if (typeof expected === 'number' && typeof actual === 'number') return expected === actual;
  return expected === actual;
};

const numericMatch = (range: unknown[], value: unknown): boolean => {
  if (typeof value !== 'number') return false;
  for (let i = 0; i < range.length; i += 2) {
    const operand = range[i + 1] as number;
    switch (range[i]) {
      case '=':
        if (!(value === operand)) return false;
        break;
      case '<':
        if (!(value < operand)) return false;
        break;
      case '<=':
        if (!(value <= operand)) return false;
        break;
      case '>':
        if (!(value > operand)) return false;
        break;
      case '>=':
        if (!(value >= operand)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
};

const cidrMatch = (cidr: string, value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  const family = isIP(value);
  const [network, bits] = cidr.split('/') as [string, string];
  const networkFamily = isIP(network);
  if (family === 0 || family !== networkFamily) return false;
  const list = new BlockList();
  list.addSubnet(network, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
  return list.check(value, family === 4 ? 'ipv4' : 'ipv6');
};

const anythingButExcludes = (operand: unknown, value: unknown): boolean => {
  if (Array.isArray(operand)) return operand.some((item) => scalarEquals(item, value));
  if (isRecord(operand)) {
    const [inner, innerValue] = Object.entries(operand)[0] as [string, unknown];
    const list = Array.isArray(innerValue) ? innerValue : [innerValue];
    if (typeof value !== 'string') return false;
    switch (inner) {
      case 'prefix':
        return value.startsWith(innerValue as string);
      case 'suffix':
        return value.endsWith(innerValue as string);
      case 'equals-ignore-case':
        return list.some((item) => lower(item as string) === lower(value));
      case 'wildcard':
        return list.some((item) => wildcardToRegExp(item as string).test(value));
      default:
        return false;
    }
  }
  return scalarEquals(operand, value);
};

/** One element of a pattern array against the field's leaf values. */
const ruleMatches = (rule: unknown, leaves: unknown[]): boolean => {
  if (!isRecord(rule)) return leaves.some((leaf) => scalarEquals(rule, leaf));
  const [operator, operand] = Object.entries(rule)[0] as [string, unknown];
  switch (operator) {
    case 'exists':
      return operand === true ? leaves.length > 0 : leaves.length === 0;
    case 'prefix':
      return leaves.some((leaf) => stringMatch(operand, leaf, (p, v) => v.startsWith(p)));
    case 'suffix':
      return leaves.some((leaf) => stringMatch(operand, leaf, (p, v) => v.endsWith(p)));
    case 'equals-ignore-case':
      return leaves.some((leaf) => typeof leaf === 'string' && lower(leaf) === lower(operand as string));
    case 'wildcard':
      return leaves.some(
        (leaf) => typeof leaf === 'string' && wildcardToRegExp(operand as string).test(leaf),
      );
    case 'numeric':
      return leaves.some((leaf) => numericMatch(operand as unknown[], leaf));
    case 'cidr':
      return leaves.some((leaf) => cidrMatch(operand as string, leaf));
    case 'anything-but': {
      // prefix/suffix/equals-ignore-case/wildcard exclusions apply to strings only; a plain exclusion
      // list matches any leaf (string, number, boolean, null) that is not in it.
      const stringsOnly = isRecord(operand);
      return leaves.some(
        (leaf) => (!stringsOnly || typeof leaf === 'string') && !anythingButExcludes(operand, leaf),
      );
    }
    default:
      return false;
  }
};

const objectMatches = (pattern: Json, node: unknown): boolean => {
  if (Array.isArray(node)) return node.some((element) => objectMatches(pattern, element));
  const object = isRecord(node) ? node : {};
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or' && isOrArray(expected)) {
      if (!expected.some((alternative) => objectMatches(alternative, object))) return false;
      continue;
    }
    const present = Object.hasOwn(object, key);
    const actual = object[key];
    if (Array.isArray(expected)) {
      const leaves = leavesOf(actual, present);
      if (!expected.some((rule) => ruleMatches(rule, leaves))) return false;
    } else if (isRecord(expected)) {
      if (!objectMatches(expected, present ? actual : undefined)) return false;
    } else {
      return false;
    }
  }
  return true;
};

/**
 * Whether an event (the full envelope: source, detail-type, detail, …) matches an EventBridge event
 * pattern. Supports exact values (arrays are OR), prefix/suffix (also with equals-ignore-case),
 * equals-ignore-case, wildcard, anything-but (values, prefix, suffix, equals-ignore-case, wildcard),
 * numeric ranges, cidr, exists, null and empty strings, `$or`, nested objects and arrays in events.
 * Throws InvalidEventPatternError for an invalid pattern.
 */
export const matchesPattern = (pattern: EventPattern, event: unknown): boolean => {
  validateEventPattern(pattern);
  return objectMatches(pattern as Json, event);
};

/** The same as matchesPattern for a pattern already validated (skips validation). */
export const matchesValidPattern = (pattern: EventPattern, event: unknown): boolean =>
  objectMatches(pattern as Json, event);
