import type { PolicyDocument } from '../iam/types';
import { StsFault, validation } from './faults';

export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** `Prefix.member.1`, `Prefix.member.2`, … of a query-protocol request. */
export const parseMembers = (params: URLSearchParams, prefix: string): string[] => {
  const result: string[] = [];
  for (let index = 1; params.has(`${prefix}.member.${index}`); index += 1) {
    result.push(params.get(`${prefix}.member.${index}`) as string);
  }
  return result;
};

const checkTag = (key: string, value: string, index: number, seen: Set<string>) => {
  if (!TAG_KEY_PATTERN.test(key) || key.toLowerCase().startsWith('aws:')) {
    throw validation(
      `1 validation error detected: Value '${key}' at 'tags.${index}.member.key' failed to satisfy constraint`,
    );
  }
  if (!TAG_VALUE_PATTERN.test(value)) {
    throw validation(
      `1 validation error detected: Value at 'tags.${index}.member.value' failed to satisfy constraint`,
    );
  }
  if (seen.has(key.toLowerCase())) {
    throw validation('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  }
  seen.add(key.toLowerCase());
};

/** The session tags (`Tags.member.N.Key/Value`), validated as STS does. */
export const parseTags = (params: URLSearchParams): Record<string, string> => {
  const tags: Record<string, string> = {};
  const seen = new Set<string>();
  let index = 1;
  for (; params.has(`Tags.member.${index}.Key`); index += 1) {
    const key = params.get(`Tags.member.${index}.Key`) as string;
    const value = params.get(`Tags.member.${index}.Value`) ?? '';
    checkTag(key, value, index, seen);
    tags[key] = value;
  }
  if (index - 1 > 50) {
    throw validation(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  }
  return tags;
};

/** The inline session policy (`Policy`), if any. */
export const parseSessionPolicy = (policyText: string | null): PolicyDocument | undefined => {
  if (policyText === null) return undefined;
  if (policyText.length > 2048) {
    throw validation(
      `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    );
  }
  let sessionPolicy: PolicyDocument;
  try {
    sessionPolicy = JSON.parse(policyText) as PolicyDocument;
  } catch {
    throw new StsFault(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
  }
  if (typeof sessionPolicy !== 'object' || sessionPolicy === null || sessionPolicy.Statement === undefined) {
    throw new StsFault(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  return sessionPolicy;
};

/** `RoleArn` and `RoleSessionName`, and a refusal of what the stand-in does not model. */
export const parseRoleRequest = (params: URLSearchParams) => {
  const roleArn = params.get('RoleArn') ?? '';
  const roleSessionName = params.get('RoleSessionName') ?? '';
  const roleMatch = ROLE_ARN_PATTERN.exec(roleArn);
  if (!roleMatch) {
    throw validation(
      `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a valid IAM role ARN`,
    );
  }
  if (!SESSION_NAME_PATTERN.test(roleSessionName)) {
    throw validation(
      `1 validation error detected: Value '${roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64`,
    );
  }
  if ([...params.keys()].some((key) => key.startsWith('PolicyArns.'))) {
    throw validation(
      'PolicyArns (managed session policies) are not supported by the local STS stand-in; pass an inline Policy',
    );
  }
  if (params.has('SourceIdentity') || params.has('SerialNumber') || params.has('ExternalId')) {
    throw validation('SourceIdentity, ExternalId and MFA are not supported by the local STS stand-in');
  }
  return { roleArn, roleSessionName, roleAccountId: roleMatch[1] as string };
};
