import { isConditionKeyArray, typeForContextKey } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './types';

/** One finding of `multivaluedKeyProblems`. */
export interface PolicyProblem {
  /** Where the policy is, e.g. `role/tenant-assistant-chat-api-dev-submitPrompt (own)`. */
  where: string;
  sid: string | undefined;
  operator: string;
  key: string;
  message: string;
}

/**
 * Condition operators over multivalued keys (AWS's service reference types them `ArrayOf…`, e.g.
 * `events:source`, `events:detail-type`, `dynamodb:LeadingKeys`, `aws:TagKeys`) must say how the
 * set is compared: `ForAllValues:` or `ForAnyValue:`. A plain `StringEquals` over such a key does
 * not do what it reads like (IAM compares it as a single value and it never matches). `Null` only
 * tests presence and is fine. Key types come from `@cloud-copilot/iam-simulate`'s IAM data.
 */
export const multivaluedKeyProblems = async (
  document: PolicyDocument,
  where: string,
): Promise<PolicyProblem[]> => {
  const problems: PolicyProblem[] = [];
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  for (const statement of statements) {
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
      if (/^(ForAllValues|ForAnyValue):/i.test(operator) || /^Null$/i.test(operator)) continue;
      for (const key of Object.keys(keys ?? {})) {
        const type = await typeForContextKey(key).catch(() => undefined); // unknown key: not judged here
        if (!type || !isConditionKeyArray(type)) continue;
        problems.push({
          where,
          sid: statement.Sid,
          operator,
          key,
          message: `${where}${statement.Sid ? ` ${statement.Sid}` : ''}: ${operator} over the multivalued key ${key}; write ForAllValues:${operator} (every value must match) or ForAnyValue:${operator}`,
        });
      }
    }
  }
  return problems;
};
