// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders are literal ${…} strings
import { DynamoDBClient, ExecuteStatementCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
} from '@aws-sdk/lib-dynamodb';
import { ACCOUNT, CONFIG_TABLE, errorOf, ordersTable, REGION } from './fixtures';
import { documentClient, useDynamoDbIamGateway } from './support/dynamodb-gateway';

describe('startDynamoDbIamGateway', () => {
  const system = useDynamoDbIamGateway();

  describe('with tenant1/user-1 session credentials', () => {
    let tenant: DynamoDBDocumentClient;

    beforeAll(async () => {
      tenant = documentClient(system.gateway.url, await system.assume('tenant1', 'user-1'));
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
        endpoint: system.gateway.url,
        region: REGION,
        credentials: await system.assume('tenant1', 'user-1'),
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
});
