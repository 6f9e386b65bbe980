// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables and Fn::Sub placeholders are literal ${…} strings
import type { PolicyDocument, RoleRegistry } from '../src';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/tenant-assistant-dev-TenantDataAccessRole`;
export const CONFIG_TABLE = 'tenant-assistant-dev-tenant-config';
export const ordersTable = (tenantId: string) => `tenant-assistant-dev-orders-${tenantId}`;

/** The trust policy of DESIGN §5: both session tags are required. */
export const tenantTrustPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        Null: { 'aws:RequestTag/tenantId': 'false', 'aws:RequestTag/userId': 'false' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId', 'userId'] },
      },
    },
  ],
};

/** The data policy of DESIGN §5, written as a packaged CloudFormation template has it. */
export const tenantDataPolicyAsPackaged = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: {
        'Fn::Sub':
          'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/tenant-assistant-dev-tenant-config',
      },
      Condition: {
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': [{ 'Fn::Sub': '${!aws:PrincipalTag/tenantId}' }],
        },
      },
    },
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: {
        'Fn::Sub':
          'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/tenant-assistant-dev-orders-${!aws:PrincipalTag/tenantId}',
      },
      Condition: {
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': [{ 'Fn::Sub': '${!aws:PrincipalTag/userId}' }],
        },
      },
    },
  ],
};

export const tenantDataPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${CONFIG_TABLE}`,
      Condition: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenantId}'] },
      },
    },
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/tenant-assistant-dev-orders-\${aws:PrincipalTag/tenantId}`,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/userId}'] } },
    },
  ],
};

export const tenantRoles: RoleRegistry = {
  [ROLE_ARN]: {
    trustPolicy: tenantTrustPolicy,
    policies: [{ name: 'TenantDataAccess', document: tenantDataPolicy }],
  },
};

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** An AWS SDK client for the stand-in at `endpoint`, with the local admin key (and one attempt when `once`). */
export const localClient = <C>(
  Client: new (config: {
    endpoint: string;
    region: string;
    credentials: typeof LOCAL_CREDENTIALS;
    maxAttempts?: number;
  }) => C,
  endpoint: string,
  { once = false } = {},
): C =>
  new Client({
    endpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
    ...(once ? { maxAttempts: 1 } : {}),
  });

/** The error an AWS SDK call was refused with (fails the test if it was not refused). */
export const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected a refusal');
};
