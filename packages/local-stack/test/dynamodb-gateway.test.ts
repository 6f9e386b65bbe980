// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders are literal ${…} strings
import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ListTagsOfResourceCommand,
  ScanCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type DynamoDbIamGateway,
  type DynamoDbLocal,
  type LocalSts,
  rolesFromCloudFormationTemplate,
  startDynamoDbIamGateway,
  startDynamoDbLocal,
  startLocalSts,
} from '../src';
import {
  ACCOUNT,
  CONFIG_TABLE,
  errorOf,
  LOCAL_CREDENTIALS,
  ordersTable,
  REGION,
  ROLE_ARN,
  tenantDataPolicyAsPackaged,
  tenantTrustPolicy,
} from './fixtures';

const ADMIN = { accessKeyId: 'localadmin', secretAccessKey: 'localadminsecret' };

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

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const documentClient = (url: string, credentials: Credentials) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: url, region: REGION, credentials, maxAttempts: 1 }),
  );

describe('startDynamoDbIamGateway', () => {
  let clock = new Date();
  let dynamo: DynamoDbLocal;
  let sts: LocalSts;
  let gateway: DynamoDbIamGateway;
  let admin: DynamoDBDocumentClient;

  const assume = async (
    tenantId: string,
    userId: string,
    extra: { Policy?: string; DurationSeconds?: number } = {},
  ) => {
    const client = new STSClient({
      endpoint: sts.url,
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

  describe('with tenant1/user-1 session credentials', () => {
    let tenant: DynamoDBDocumentClient;

    beforeAll(async () => {
      tenant = documentClient(gateway.url, await assume('tenant1', 'user-1'));
    });

    it('reads its own tenant configuration', async () => {
      const { Item } = await tenant.send(
        new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } }),
      );

      expect(Item).toEqual({ tenantId: 'tenant1', returnPolicyDays: 10 });
    });

    it('queries its own orders', async () => {
      const { Items } = await tenant.send(
        new QueryCommand({
          TableName: ordersTable('tenant1'),
          KeyConditionExpression: '#u = :u',
          ExpressionAttributeNames: { '#u': 'userId' },
          ExpressionAttributeValues: { ':u': 'user-1' },
        }),
      );

      expect(Items?.map((item) => item.orderId)).toEqual(['ord-1', 'ord-2']);
    });

    it('queries its own orders with a sort-key condition and the key on the right-hand side', async () => {
      const { Items } = await tenant.send(
        new QueryCommand({
          TableName: ordersTable('tenant1'),
          KeyConditionExpression: ':u = userId AND begins_with(orderId, :p)',
          ExpressionAttributeValues: { ':u': 'user-1', ':p': 'ord-2' },
        }),
      );

      expect(Items?.map((item) => item.orderId)).toEqual(['ord-2']);
    });

    it('reads its own order inside a transaction (each item needs dynamodb:GetItem)', async () => {
      const { Responses } = await tenant.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName: ordersTable('tenant1'), Key: { userId: 'user-1', orderId: 'ord-1' } } },
          ],
        }),
      );

      expect(Responses?.[0]?.Item?.status).toBe('shipped');
    });

    it('is refused another tenant’s configuration with the AccessDeniedException AWS sends', async () => {
      // Act
      const error = await errorOf(
        tenant.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant2' } })),
      );

      // Assess
      expect(error.name).toBe('AccessDeniedException');
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/tenant-assistant-dev-TenantDataAccessRole/tenant1-user-1 is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${CONFIG_TABLE} because no identity-based policy allows the dynamodb:GetItem action`,
      );
    });

    it('is refused another user’s orders in its own tenant', async () => {
      const error = await errorOf(
        tenant.send(
          new QueryCommand({
            TableName: ordersTable('tenant1'),
            KeyConditionExpression: 'userId = :u',
            ExpressionAttributeValues: { ':u': 'user-2' },
          }),
        ),
      );

      expect(error.name).toBe('AccessDeniedException');
    });

    it('is refused its own user id in another tenant’s orders table', async () => {
      const error = await errorOf(
        tenant.send(
          new GetCommand({ TableName: ordersTable('tenant2'), Key: { userId: 'user-1', orderId: 'ord-9' } }),
        ),
      );

      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toContain(`table/${ordersTable('tenant2')}`);
    });

    it('is refused a Scan, which carries no leading key', async () => {
      const error = await errorOf(tenant.send(new ScanCommand({ TableName: CONFIG_TABLE })));

      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toContain('dynamodb:Scan');
    });

    it('is refused a PutItem even on its own key', async () => {
      const error = await errorOf(
        tenant.send(
          new PutCommand({ TableName: ordersTable('tenant1'), Item: { userId: 'user-1', orderId: 'ord-x' } }),
        ),
      );

      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toContain('dynamodb:PutItem');
    });

    it('is refused a BatchGetItem (not granted) and a transaction that touches another user', async () => {
      const batch = await errorOf(
        tenant.send(
          new BatchGetCommand({ RequestItems: { [CONFIG_TABLE]: { Keys: [{ tenantId: 'tenant1' }] } } }),
        ),
      );
      const transaction = await errorOf(
        tenant.send(
          new TransactGetCommand({
            TransactItems: [
              { Get: { TableName: ordersTable('tenant1'), Key: { userId: 'user-1', orderId: 'ord-1' } } },
              { Get: { TableName: ordersTable('tenant1'), Key: { userId: 'user-2', orderId: 'ord-3' } } },
            ],
          }),
        ),
      );

      expect(batch.name).toBe('AccessDeniedException');
      expect(transaction.name).toBe('AccessDeniedException');
    });

    it('is refused a key condition that smuggles in a second partition-key value', async () => {
      const error = await errorOf(
        tenant.send(
          new QueryCommand({
            TableName: ordersTable('tenant1'),
            KeyConditionExpression: 'userId = :mine OR userId = :other',
            ExpressionAttributeValues: { ':mine': 'user-1', ':other': 'user-2' },
          }),
        ),
      );

      expect(error.name).toBe('AccessDeniedException');
    });

    it('refuses a key condition it cannot attribute to one partition key, as DynamoDB would', async () => {
      const error = await errorOf(
        tenant.send(
          new QueryCommand({
            TableName: ordersTable('tenant1'),
            KeyConditionExpression: 'begins_with(userId, :u)',
            ExpressionAttributeValues: { ':u': 'user' },
          }),
        ),
      );

      expect(error.name).toBe('ValidationException');
    });

    it('refuses PartiQL, which the gateway does not model', async () => {
      const raw = new DynamoDBClient({
        endpoint: gateway.url,
        region: REGION,
        credentials: await assume('tenant1', 'user-1'),
      });

      const error = await errorOf(
        raw.send(
          new ExecuteStatementCommand({
            Statement: `SELECT * FROM "${CONFIG_TABLE}" WHERE tenantId = 'tenant1'`,
          }),
        ),
      );

      expect(error.name).toBe('AccessDeniedException');
    });

    it('answers ResourceNotFoundException for a table that does not exist', async () => {
      const error = await errorOf(
        tenant.send(new GetCommand({ TableName: 'no-such-table', Key: { tenantId: 'tenant1' } })),
      );

      expect(error.name).toBe('ResourceNotFoundException');
    });
  });

  it('applies the session policy on top of the role policy', async () => {
    // Prepare
    const onlyQuery = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }],
    });
    const narrowed = documentClient(gateway.url, await assume('tenant1', 'user-1', { Policy: onlyQuery }));

    // Act
    const error = await errorOf(
      narrowed.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );
    const { Items } = await narrowed.send(
      new QueryCommand({
        TableName: CONFIG_TABLE,
        KeyConditionExpression: 'tenantId = :t',
        ExpressionAttributeValues: { ':t': 'tenant1' },
      }),
    );

    // Assess
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain('because no session policy allows the dynamodb:GetItem action');
    expect(Items).toHaveLength(1);
  });

  it('refuses a tampered signature with InvalidSignatureException', async () => {
    const credentials = await assume('tenant1', 'user-1');
    const forged = documentClient(gateway.url, {
      ...credentials,
      secretAccessKey: `${credentials.secretAccessKey}x`,
    });

    const error = await errorOf(
      forged.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );

    expect(error.name).toBe('InvalidSignatureException');
  });

  it('refuses a wrong admin secret too', async () => {
    const forged = documentClient(gateway.url, { ...ADMIN, secretAccessKey: 'guess' });

    const error = await errorOf(
      forged.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );

    expect(error.name).toBe('InvalidSignatureException');
  });

  it('refuses an access key nobody issued with UnrecognizedClientException', async () => {
    const stranger = documentClient(gateway.url, {
      accessKeyId: 'ASIAUNKNOWNKEY000000',
      secretAccessKey: 'x',
      sessionToken: 'y',
    });

    const error = await errorOf(
      stranger.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );

    expect(error.name).toBe('UnrecognizedClientException');
  });

  it('refuses expired session credentials with ExpiredTokenException', async () => {
    // Prepare
    const tenant = documentClient(gateway.url, await assume('tenant1', 'user-1', { DurationSeconds: 900 }));
    clock = new Date(clock.getTime() + 900_000);

    // Act
    const error = await errorOf(
      tenant.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );

    // Assess
    expect(error.name).toBe('ExpiredTokenException');
  });

  it('lets the admin key through without evaluation and records every decision', async () => {
    const { Item } = await admin.send(
      new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant2' } }),
    );

    expect(Item?.returnPolicyDays).toBe(20);
    expect(gateway.decisions().at(-1)).toMatchObject({ operation: 'GetItem', allowed: true, via: 'admin' });
    expect(gateway.decisions().some((d) => !d.allowed && d.errorType === 'AccessDeniedException')).toBe(true);
  });

  describe('tags and point-in-time recovery (answered by the gateway: DynamoDB Local lacks them)', () => {
    const raw = () => new DynamoDBClient({ endpoint: gateway.url, region: REGION, credentials: ADMIN });
    const table = 'tenant-assistant-settings-test';
    const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;

    it('keeps the tags given to CreateTable and TagResource, and turns PITR on', async () => {
      // Prepare
      await raw().send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          Tags: [{ Key: 'tenant', Value: 'tenant1' }],
        }),
      );

      // Act
      await raw().send(
        new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'service', Value: 'orders' }] }),
      );
      const before = await raw().send(new DescribeContinuousBackupsCommand({ TableName: table }));
      await raw().send(
        new UpdateContinuousBackupsCommand({
          TableName: table,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      );
      const after = await raw().send(new DescribeContinuousBackupsCommand({ TableName: table }));
      const { Tags } = await raw().send(new ListTagsOfResourceCommand({ ResourceArn: arn }));

      // Assess
      expect(Tags).toEqual([
        { Key: 'tenant', Value: 'tenant1' },
        { Key: 'service', Value: 'orders' },
      ]);
      expect(
        before.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
      ).toBe('DISABLED');
      expect(
        after.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
      ).toBe('ENABLED');
    });

    it('answers a missing table as DynamoDB does', async () => {
      // Act
      const error = await errorOf(
        raw().send(new ListTagsOfResourceCommand({ ResourceArn: `${arn}-missing` })),
      );

      // Assess
      expect(error.name).toBe('ResourceNotFoundException');
    });

    it('evaluates the tag operations against the caller’s role like any other', async () => {
      // Prepare
      const credentials = await assume('tenant1', 'user-1');

      // Act
      const error = await errorOf(
        new DynamoDBClient({ endpoint: gateway.url, region: REGION, credentials, maxAttempts: 1 }).send(
          new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'tenant', Value: 'tenant2' }] }),
        ),
      );

      // Assess
      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toContain('dynamodb:TagResource');
    });
  });
});
