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

/** The X-Ray actions a traced function's role needs (Lambda sends its trace segments with the role). */
export const TRACE_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/**
 * True for the statement that lets a function write its X-Ray traces: exactly
 * {@link TRACE_WRITE_ACTIONS}, allowed on `*` (those actions name no resource), no condition.
 */
export const isTraceWriteStatement = (statement: PolicyStatement): boolean => {
  const actions = [statement.Action].flat();
  return (
    statement.Effect === 'Allow' &&
    statement.Condition === undefined &&
    JSON.stringify([statement.Resource].flat()) === '["*"]' &&
    actions.length === TRACE_WRITE_ACTIONS.length &&
    TRACE_WRITE_ACTIONS.every((action) => actions.includes(action))
  );
};

/** Every statement of a role's inline policies, in order, the X-Ray trace writes included. */
export const allRoleStatements = (role: CfnResource): PolicyStatement[] =>
  ((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

/**
 * Every statement of a role's inline policies, in order, but the X-Ray trace writes every function
 * role has ({@link isTraceWriteStatement}; `allRoleStatements` keeps them): what the function's own
 * code may do.
 * @example expect(roleStatements(resourceOf(template, 'IamRoleLambdaExecution'))).toEqual([…]);
 */
export const roleStatements = (role: CfnResource): PolicyStatement[] =>
  allRoleStatements(role).filter((statement) => !isTraceWriteStatement(statement));

/**
 * The actions of one statement or of several, as one list (a statement's `Action` may be one string).
 * @example expect(actionsOf(roleStatements(role))).not.toContain('dynamodb:Scan');
 */
export const actionsOf = (statements: PolicyStatement | readonly PolicyStatement[]): string[] =>
  [statements].flat().flatMap((statement) => [statement.Action].flat());
