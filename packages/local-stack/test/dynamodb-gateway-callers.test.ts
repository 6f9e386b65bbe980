// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders are literal ${…} strings
import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT, CONFIG_TABLE, errorOf, REGION } from './fixtures';
import { ADMIN, documentClient, useDynamoDbIamGateway } from './support/dynamodb-gateway';

describe('startDynamoDbIamGateway', () => {
  const system = useDynamoDbIamGateway();

  it('applies the session policy on top of the role policy', async () => {
    // Prepare
    const onlyQuery = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }],
    });
    const narrowed = documentClient(
      system.gateway.url,
      await system.assume('tenant1', 'user-1', { Policy: onlyQuery }),
    );

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
    const credentials = await system.assume('tenant1', 'user-1');
    const forged = documentClient(system.gateway.url, {
      ...credentials,
      secretAccessKey: `${credentials.secretAccessKey}x`,
    });

    const error = await errorOf(
      forged.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );

    expect(error.name).toBe('InvalidSignatureException');
  });

  it('refuses a wrong admin secret too', async () => {
    const forged = documentClient(system.gateway.url, { ...ADMIN, secretAccessKey: 'guess' });

    const error = await errorOf(
      forged.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );

    expect(error.name).toBe('InvalidSignatureException');
  });

  it('refuses an access key nobody issued with UnrecognizedClientException', async () => {
    const stranger = documentClient(system.gateway.url, {
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
    const tenant = documentClient(
      system.gateway.url,
      await system.assume('tenant1', 'user-1', { DurationSeconds: 900 }),
    );
    system.advanceClock(900_000);

    // Act
    const error = await errorOf(
      tenant.send(new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant1' } })),
    );

    // Assess
    expect(error.name).toBe('ExpiredTokenException');
  });

  it('lets the admin key through without evaluation and records every decision', async () => {
    const { Item } = await system.admin.send(
      new GetCommand({ TableName: CONFIG_TABLE, Key: { tenantId: 'tenant2' } }),
    );

    expect(Item?.returnPolicyDays).toBe(20);
    expect(system.gateway.decisions().at(-1)).toMatchObject({
      operation: 'GetItem',
      allowed: true,
      via: 'admin',
    });
    expect(
      system.gateway.decisions().some((d) => !d.allowed && d.errorType === 'AccessDeniedException'),
    ).toBe(true);
  });

  describe('tags and point-in-time recovery (answered by the gateway: DynamoDB Local lacks them)', () => {
    const raw = () =>
      new DynamoDBClient({ endpoint: system.gateway.url, region: REGION, credentials: ADMIN });
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
      const credentials = await system.assume('tenant1', 'user-1');

      // Act
      const error = await errorOf(
        new DynamoDBClient({
          endpoint: system.gateway.url,
          region: REGION,
          credentials,
          maxAttempts: 1,
        }).send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'tenant', Value: 'tenant2' }] })),
      );

      // Assess
      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toContain('dynamodb:TagResource');
    });
  });
});
