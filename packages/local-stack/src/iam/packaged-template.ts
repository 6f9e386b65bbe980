import {
  type CloudFormationTemplate,
  type IntrinsicContext,
  resolveIntrinsics,
  resolvePolicyDocument,
} from '../cloudformation';
import { isRecord } from '../cloudformation/template';
import { ConfigurationError } from '../errors';
import type { PolicyDocument, PolicyStatement } from './types';

/**
 * What a packaged template says about who runs as which role and which resource policies apply —
 * read generically from the template (every `AWS::Lambda::Function`, every bus policy), so a new
 * function or policy needs no change here.
 */

/** A function of a packaged template and the execution role it runs as. */
export interface FunctionRole {
  /** Physical name, e.g. `tenant-assistant-chat-api-local-submitPrompt`. */
  functionName: string;
  /** The function's logical id, e.g. `SubmitPromptLambdaFunction`. */
  logicalId: string;
  roleArn: string;
}

/**
 * Every `AWS::Lambda::Function` of the template with its `FunctionName` and `Role` resolved (the
 * execution role as packaged, `Fn::GetAtt <Role>.Arn` or a literal ARN).
 */
export const functionRolesFromTemplate = (
  template: CloudFormationTemplate,
  context: Omit<IntrinsicContext, 'template'> = {},
): FunctionRole[] => {
  const ctx: IntrinsicContext = { ...context, template };
  const result: FunctionRole[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource?.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties ?? {};
    const functionName = resolveIntrinsics(props.FunctionName, ctx);
    const roleArn = resolveIntrinsics(props.Role, ctx);
    if (typeof functionName !== 'string' || typeof roleArn !== 'string') {
      throw new ConfigurationError(
        `Resources.${logicalId}: FunctionName and Role must resolve to strings (got ${JSON.stringify(functionName)}, ${JSON.stringify(roleArn)})`,
      );
    }
    result.push({ functionName, logicalId, roleArn });
  }
  return result;
};

/**
 * The resource policy of each event bus of the template, by bus name: the bus's own `Policy`
 * property plus every `AWS::Events::EventBusPolicy` on it (`Statement`, or the older
 * `Action`/`Principal`/`Condition` form), as EventBridge combines them.
 */
export const eventBusPoliciesFromTemplate = (
  template: CloudFormationTemplate,
  context: Omit<IntrinsicContext, 'template'> = {},
): Record<string, PolicyDocument> => {
  const ctx: IntrinsicContext = { ...context, template };
  const statements = new Map<string, PolicyStatement[]>();
  const add = (bus: unknown, more: PolicyStatement[]) => {
    const name = typeof bus === 'string' ? (bus.split('/').pop() ?? bus) : 'default';
    statements.set(name, [...(statements.get(name) ?? []), ...more]);
  };
  const asStatements = (document: PolicyDocument): PolicyStatement[] =>
    Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const props = resource?.Properties ?? {};
    if (resource?.Type === 'AWS::Events::EventBus' && props.Policy !== undefined) {
      add(resolveIntrinsics(props.Name, ctx), asStatements(resolvePolicyDocument(props.Policy, ctx)));
    }
    if (resource?.Type !== 'AWS::Events::EventBusPolicy') continue;
    const bus = resolveIntrinsics(props.EventBusName, ctx) ?? 'default';
    if (props.Statement !== undefined) {
      const statement = resolveIntrinsics(props.Statement, ctx);
      if (!isRecord(statement))
        throw new ConfigurationError(`Resources.${logicalId}.Statement must be one policy statement`);
      add(bus, [
        {
          Sid: String(resolveIntrinsics(props.StatementId, ctx) ?? logicalId),
          ...statement,
        } as PolicyStatement,
      ]);
    } else {
      const principal = resolveIntrinsics(props.Principal, ctx);
      const condition = resolveIntrinsics(props.Condition, ctx);
      add(bus, [
        {
          Sid: String(resolveIntrinsics(props.StatementId, ctx) ?? logicalId),
          Effect: 'Allow',
          Action: String(resolveIntrinsics(props.Action, ctx) ?? 'events:PutEvents'),
          Principal: { AWS: principal === '*' ? '*' : `arn:aws:iam::${String(principal)}:root` },
          Resource: `arn:aws:events:${ctx.region ?? 'us-east-1'}:${ctx.accountId ?? '000000000000'}:event-bus/${String(bus)}`,
          ...(isRecord(condition)
            ? { Condition: { StringEquals: { [String(condition.Key)]: condition.Value } } }
            : {}),
        },
      ]);
    }
  }
  return Object.fromEntries(
    [...statements].map(([bus, list]) => [bus, { Version: '2012-10-17', Statement: list }]),
  );
};
