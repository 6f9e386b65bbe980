import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createUsageMeter } from './metering';

const ddb = mockClient(DynamoDBDocumentClient);
const meter = createUsageMeter(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'usage');
const usage = {
  tenantId: 'tenant1',
  userId: '6f1c2a3b-0000-4000-8000-000000005b4c',
  answerId: '6f1c2a3b-0000-4000-8000-000000005b4c.01JD8X3Q4R5S6T7V8W9XYZ0CNV',
  inputTokens: 2500,
  outputTokens: 65,
  at: new Date('2026-12-01T10:00:00.000Z'),
};

beforeEach(() => ddb.reset());

describe('createUsageMeter', () => {
  test("adds the tokens to the tenant's and the user's day and month, with a once-only answer marker, in one transaction", async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const counted = await meter(usage);

    // Assess
    expect(counted).toBe(true);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put).toMatchObject({
      TableName: 'usage',
      Item: { tenantId: 'tenant1', sk: `answer#${usage.answerId}`, inputTokens: 2500, outputTokens: 65 },
      ConditionExpression: 'attribute_not_exists(sk)',
    });
    expect(items.slice(1).map((item) => item.Update?.Key)).toEqual([
      { tenantId: 'tenant1', sk: 'month#2026-12' },
      { tenantId: 'tenant1', sk: 'day#2026-12-01' },
      { tenantId: 'tenant1', sk: `user#${usage.userId}#month#2026-12` },
      { tenantId: 'tenant1', sk: `user#${usage.userId}#day#2026-12-01` },
    ]);
    for (const item of items.slice(1)) {
      expect(item.Update?.UpdateExpression).toMatch(
        /^ADD inputTokens :in, outputTokens :out, prompts :one SET/,
      );
      expect(item.Update?.ExpressionAttributeValues).toMatchObject({ ':in': 2500, ':out': 65, ':one': 1 });
    }
  });

  test('counts nothing for an answer counted before (a redelivered event)', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act / Assess
    await expect(meter(usage)).resolves.toBe(false);
  });

  test('throws any other failure', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(new Error('throttled'));

    // Act / Assess
    await expect(meter(usage)).rejects.toThrow('throttled');
  });
});
