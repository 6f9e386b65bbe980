import type { CfnResource, CfnTemplate } from './serverless-package';

/** An IAM policy statement as a packaged template holds it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * The resource `logicalId` of a template; throws when the template has none of that id.
 * @example const role = resourceOf(template, 'IamRoleLambdaExecution');
 */
export const resourceOf = (template: CfnTemplate, logicalId: string): CfnResource => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`${logicalId} is not in the template`);
  return found;
};

/**
 * Every statement of a role's inline policies, in order.
 * @example expect(roleStatements(resourceOf(template, 'IamRoleLambdaExecution'))).toEqual([…]);
 */
export const roleStatements = (role: CfnResource): PolicyStatement[] =>
  ((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

/**
 * The actions of one statement or of several, as one list (a statement's `Action` may be one string).
 * @example expect(actionsOf(roleStatements(role))).not.toContain('dynamodb:Scan');
 */
export const actionsOf = (statements: PolicyStatement | readonly PolicyStatement[]): string[] =>
  [statements].flat().flatMap((statement) => [statement.Action].flat());
