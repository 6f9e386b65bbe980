/** A (packaged) CloudFormation template, typed loosely so any parsed template fits. */
export interface CloudFormationTemplate {
  Parameters?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Condition?: string } | undefined
  >;
  Outputs?: Record<string, unknown>;
}

/** What intrinsic functions resolve against. Everything has a local default. */
export interface IntrinsicContext {
  accountId?: string;
  region?: string;
  partition?: string;
  stackName?: string;
  /** Values for `Ref: <LogicalId or Parameter>` (wins over what the template itself implies). */
  refs?: Record<string, unknown>;
  /** Values for `Fn::GetAtt` as `"<LogicalId>.<Attribute>"`. */
  attributes?: Record<string, unknown>;
  /** Values for `Fn::ImportValue` (the other stacks' exported outputs). */
  imports?: Record<string, unknown>;
  /** The whole template, used for `Parameters` defaults, `Mappings`, `Conditions` and resource names. */
  template?: CloudFormationTemplate;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const splitOnce = (value: string, separator: string): string[] => {
  const index = value.indexOf(separator);
  return index < 0 ? [value] : [value.slice(0, index), value.slice(index + 1)];
};

/** Physical name property of each resource type; without it a resource is `<stack>-<LogicalId>`. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Cognito::UserPool': 'UserPoolName',
};

/** The property that names a resource of `type`, if CloudFormation has one. */
export const namePropertyOf = (type: string): string | undefined => NAME_PROPERTIES[type];

/** Where a resource would live: what an ARN is built from. */
export interface ArnParts {
  partition: string;
  region: string;
  accountId: string;
}

/** The ARN CloudFormation gives a resource of `type` named `name`, or undefined if not derivable. */
export const arnOfResource = (
  type: string,
  name: string,
  { partition, region, accountId }: ArnParts,
  rolePath = '/',
): string | undefined => {
  switch (type) {
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${accountId}:role${rolePath}${name}`;
    case 'AWS::IAM::ManagedPolicy':
      return `arn:${partition}:iam::${accountId}:policy/${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
    case 'AWS::Events::EventBus':
      return `arn:${partition}:events:${region}:${accountId}:event-bus/${name}`;
    case 'AWS::Events::Rule':
      return `arn:${partition}:events:${region}:${accountId}:rule/${name}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${accountId}:function:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${region}:${accountId}:${name}`;
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${name}`;
    case 'AWS::Cognito::UserPool':
      return `arn:${partition}:cognito-idp:${region}:${accountId}:userpool/${name}`;
    default:
      return undefined;
  }
};
