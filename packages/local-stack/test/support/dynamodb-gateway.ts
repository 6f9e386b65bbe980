// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders are literal ${…} strings
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type DynamoDbIamGateway,
  type DynamoDbLocal,
  type LocalSts,
  rolesFromCloudFormationTemplate,
  startDynamoDbIamGateway,
  startDynamoDbLocal,
  startLocalSts,
} from '../../src';
import {
  ACCOUNT,
  CONFIG_TABLE,
  LOCAL_CREDENTIALS,
  ordersTable,
  REGION,
  ROLE_ARN,
  tenantDataPolicyAsPackaged,
  tenantTrustPolicy,
} from '../fixtures';

export const ADMIN = { accessKeyId: 'localadmin', secretAccessKey: 'localadminsecret' };

/** The role as the packaged CloudFormation template of order-action-group declares it. */
const template = {
  Resources: {
    TenantDataAccessRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'tenant-assistant-dev-TenantDataAccessRole',
        AssumeRolePolicyDocument: {
          ...tenantTrustPolicy,
          Statement: [
            {
              ...(tenantTrustPolicy.Statement as object[])[0],
              Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
            },
          ],
        },
        Policies: [{ PolicyName: 'TenantDataAccess', PolicyDocument: tenantDataPolicyAsPackaged }],
      },
    },
  },
};

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export const documentClient = (url: string, credentials: Credentials) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: url, region: REGION, credentials, maxAttempts: 1 }),
  );

/**
 * Registers the hooks that start DynamoDB Local, the local STS and the IAM gateway in front of
 * DynamoDB Local (order-action-group's data-access role as packaged), with tenant1's and tenant2's
 * configuration and orders; the clock the gateway and STS read is now again before each test.
 */
export const useDynamoDbIamGateway = () => {
  let clock = new Date();
  let dynamo: DynamoDbLocal | undefined;
  let sts: LocalSts | undefined;
  let gateway: DynamoDbIamGateway | undefined;
  let admin: DynamoDBDocumentClient | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the gateway has not started');
    return value;
  };

  /** Session credentials of the data-access role, tagged with the tenant and the user. */
  const assume = async (
    tenantId: string,
    userId: string,
    extra: { Policy?: string; DurationSeconds?: number } = {},
  ) => {
    const client = new STSClient({
      endpoint: started(sts).url,
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const { Credentials } = await client.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: `${tenantId}-${userId}`,
        Tags: [
          { Key: 'tenantId', Value: tenantId },
          { Key: 'userId', Value: userId },
        ],
        ...extra,
      }),
    );
    return {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    };
  };

  beforeAll(async () => {
    const roles = rolesFromCloudFormationTemplate(template, { accountId: ACCOUNT, region: REGION });
    [dynamo, sts] = await Promise.all([
      startDynamoDbLocal({ port: 0 }),
      startLocalSts({ roles, now: () => clock }),
    ]);
    gateway = await startDynamoDbIamGateway({
      target: dynamo.url,
      sessions: sts.sessions,
      roles,
      adminCredentials: ADMIN,
      now: () => clock,
    });
    admin = documentClient(gateway.url, ADMIN);
    const raw = new DynamoDBClient({ endpoint: gateway.url, region: REGION, credentials: ADMIN });
    await raw.send(
      new CreateTableCommand({
        TableName: CONFIG_TABLE,
        KeySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'tenantId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const tenant of ['tenant1', 'tenant2']) {
      await raw.send(
        new CreateTableCommand({
          TableName: ordersTable(tenant),
          KeySchema: [
            { AttributeName: 'userId', KeyType: 'HASH' },
            { AttributeName: 'orderId', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'userId', AttributeType: 'S' },
            { AttributeName: 'orderId', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    await admin.send(
      new BatchWriteCommand({
        RequestItems: {
          [CONFIG_TABLE]: [
            { PutRequest: { Item: { tenantId: 'tenant1', returnPolicyDays: 10 } } },
            { PutRequest: { Item: { tenantId: 'tenant2', returnPolicyDays: 20 } } },
          ],
          [ordersTable('tenant1')]: [
            { PutRequest: { Item: { userId: 'user-1', orderId: 'ord-1', status: 'shipped' } } },
            { PutRequest: { Item: { userId: 'user-1', orderId: 'ord-2', status: 'pending' } } },
            { PutRequest: { Item: { userId: 'user-2', orderId: 'ord-3', status: 'shipped' } } },
          ],
          [ordersTable('tenant2')]: [
            { PutRequest: { Item: { userId: 'user-1', orderId: 'ord-9', status: 'delivered' } } },
          ],
        },
      }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([sts?.close(), dynamo?.close()]);
  });

  beforeEach(() => {
    clock = new Date();
  });

  return {
    get gateway() {
      return started(gateway);
    },
    /** The dev tools' client (admin key). */
    get admin() {
      return started(admin);
    },
    assume,
    /** Moves the clock the gateway and STS read on by `ms`. */
    advanceClock: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
  };
};
