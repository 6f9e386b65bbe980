import type { CfnTemplate, StackTemplate } from './serverless-package';
import { isRecord } from './template-references';
import type { TemplateProblem } from './template-schema';

/**
 * The AWS limits on the physical names a template gives its resources (the CloudFormation resource
 * specification holds no lengths, so they are listed here, from each service's API reference).
 * A resource without its name property gets a generated name that CloudFormation fits itself.
 */
export const NAME_LIMITS: readonly { type: string; path: readonly string[]; limit: number }[] = [
  { type: 'AWS::Lambda::Function', path: ['FunctionName'], limit: 64 },
  { type: 'AWS::IAM::Role', path: ['RoleName'], limit: 64 },
  { type: 'AWS::IAM::ManagedPolicy', path: ['ManagedPolicyName'], limit: 128 },
  { type: 'AWS::Events::Rule', path: ['Name'], limit: 64 },
  { type: 'AWS::Events::EventBus', path: ['Name'], limit: 256 },
  { type: 'AWS::DynamoDB::Table', path: ['TableName'], limit: 255 },
  { type: 'AWS::SQS::Queue', path: ['QueueName'], limit: 80 },
  { type: 'AWS::Logs::LogGroup', path: ['LogGroupName'], limit: 512 },
  { type: 'AWS::S3::Bucket', path: ['BucketName'], limit: 63 },
  { type: 'AWS::ApiGatewayV2::Api', path: ['Name'], limit: 128 },
  { type: 'AWS::ApiGatewayV2::Stage', path: ['StageName'], limit: 128 },
  { type: 'AWS::Cognito::UserPool', path: ['UserPoolName'], limit: 128 },
  { type: 'AWS::Cognito::UserPoolClient', path: ['ClientName'], limit: 128 },
  { type: 'AWS::Cognito::UserPoolGroup', path: ['GroupName'], limit: 128 },
  { type: 'AWS::Cognito::UserPoolDomain', path: ['Domain'], limit: 63 },
  { type: 'AWS::Cognito::IdentityPool', path: ['IdentityPoolName'], limit: 128 },
  { type: 'AWS::Bedrock::Agent', path: ['AgentName'], limit: 100 },
  { type: 'AWS::Bedrock::AgentAlias', path: ['AgentAliasName'], limit: 100 },
  { type: 'AWS::CloudFront::Function', path: ['Name'], limit: 64 },
  { type: 'AWS::CloudFront::OriginAccessControl', path: ['OriginAccessControlConfig', 'Name'], limit: 64 },
  {
    type: 'AWS::CloudFront::ResponseHeadersPolicy',
    path: ['ResponseHeadersPolicyConfig', 'Name'],
    limit: 128,
  },
];

/** IAM role names are at most 64 characters, also where a policy names one in an ARN. */
const ROLE_NAME_LIMIT = 64;
/** Inline policy names of a role. */
const POLICY_NAME_LIMIT = 128;

/** One physical name of a template, resolved as CloudFormation would resolve it. */
export interface PhysicalName {
  at: string;
  type: string;
  name: string;
  limit: number;
}

/**
 * Every physical name `stack` gives a resource (and every inline policy name), resolved with
 * `resolve`; a name that does not resolve offline is reported as a problem, since its length cannot
 * be judged.
 */
export const physicalNames = (
  stack: StackTemplate,
  resolve: (value: unknown, stack: StackTemplate) => string | undefined,
): { names: PhysicalName[]; problems: TemplateProblem[] } => {
  const names: PhysicalName[] = [];
  const problems: TemplateProblem[] = [];
  const add = (at: string, type: string, value: unknown, limit: number) => {
    const name = resolve(value, stack);
    if (name === undefined) problems.push({ at, message: `${type} name does not resolve offline` });
    else names.push({ at, type, name, limit });
  };
  for (const [id, resource] of Object.entries((stack.template as CfnTemplate).Resources)) {
    for (const { type, path, limit } of NAME_LIMITS) {
      if (resource.Type !== type) continue;
      let value: unknown = resource.Properties;
      for (const key of path) value = isRecord(value) ? value[key] : undefined;
      if (value !== undefined) add(`Resources.${id}.Properties.${path.join('.')}`, type, value, limit);
    }
    if (resource.Type === 'AWS::IAM::Role')
      for (const [index, policy] of (
        (resource.Properties?.Policies ?? []) as { PolicyName: unknown }[]
      ).entries())
        add(
          `Resources.${id}.Properties.Policies[${index}].PolicyName`,
          'IAM inline policy',
          policy.PolicyName,
          POLICY_NAME_LIMIT,
        );
  }
  return { names, problems };
};

/** Names longer than their limit. */
export const overlongNames = (names: readonly PhysicalName[]): TemplateProblem[] =>
  names
    .filter((entry) => entry.name.length > entry.limit)
    .map((entry) => ({
      at: entry.at,
      message: `${entry.type} name ${entry.name} is ${entry.name.length} characters, over AWS's ${entry.limit}`,
    }));

/**
 * Every IAM role a template names by ARN (`…:role/<name>`, e.g. a trust policy's principal or a
 * bus policy's `aws:PrincipalArn`) with a name of the project (`prefix`): the name must be a role
 * some stack of `stacks` creates, and fit IAM's 64 characters.
 */
export const roleNamesReferenced = (
  stacks: readonly StackTemplate[],
  resolve: (value: unknown, stack: StackTemplate) => string | undefined,
  prefix: string,
): TemplateProblem[] => {
  const created = new Set(
    stacks.flatMap((stack) =>
      physicalNames(stack, resolve)
        .names.filter((entry) => entry.type === 'AWS::IAM::Role')
        .map((e) => e.name),
    ),
  );
  const problems: TemplateProblem[] = [];
  const pattern = new RegExp(`:role/(${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\w+=,.@-]*)`, 'g');
  for (const stack of stacks) {
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) {
        for (const [index, item] of node.entries()) visit(item, `${at}[${index}]`);
        return;
      }
      const text =
        typeof node === 'string'
          ? node
          : isRecord(node) && 'Fn::Sub' in node
            ? resolve(node, stack)
            : undefined;
      if (text !== undefined) {
        for (const match of text.matchAll(pattern)) {
          const name = match[1] as string;
          if (name.length > ROLE_NAME_LIMIT)
            problems.push({
              at: `${stack.stack}:${at}`,
              message: `role name ${name} is ${name.length} characters, over IAM's ${ROLE_NAME_LIMIT}`,
            });
          else if (!created.has(name))
            problems.push({
              at: `${stack.stack}:${at}`,
              message: `names role ${name}, which no stack creates`,
            });
        }
        return;
      }
      if (isRecord(node)) for (const [key, child] of Object.entries(node)) visit(child, `${at}.${key}`);
    };
    visit(stack.template.Resources, 'Resources');
  }
  return problems;
};
