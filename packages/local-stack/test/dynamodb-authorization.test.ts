import { accessChecksFor, partitionKeyValuesFromExpression, type TableKeySchema } from '../src';

describe('partitionKeyValuesFromExpression', () => {
  const values = { ':a': { S: 'user-1' }, ':b': { S: 'user-2' }, ':n': { N: '42' }, ':p': { S: 'ord' } };

  it.each([
    ['userId = :a', ['user-1']],
    ['#u = :a', ['user-1']],
    [':a = userId', ['user-1']],
    ['userId = :a AND begins_with(orderId, :p)', ['user-1']],
    ['(userId = :a) AND orderId BETWEEN :p AND :b', ['user-1']],
    ['userId=:n', ['42']],
    ['userId = :a OR userId = :b', ['user-1', 'user-2']],
  ])('finds the partition key values of %s', (expression, expected) => {
    expect(partitionKeyValuesFromExpression(expression, 'userId', { '#u': 'userId' }, values)).toEqual(
      expected,
    );
  });

  it.each([
    ['begins_with(userId, :p)'],
    ['userId > :a'],
    ['userId = :missing'],
    ['orderId = :a'],
    ['userId = :a AND userId BETWEEN :a AND :b'],
    ['userId = :a ; DROP'],
    ['#unknown = :a'],
  ])('fails closed for %s', (expression) => {
    expect(partitionKeyValuesFromExpression(expression, 'userId', {}, values)).toBeUndefined();
  });
});

describe('accessChecksFor', () => {
  const schema: TableKeySchema = { partitionKey: 'pk', indexPartitionKeys: { byStatus: 'status' } };
  const ctx = { region: 'us-east-1', accountId: '000000000000', schemaOf: async () => schema };
  const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t';

  it('uses the index ARN and the index partition key for a Query on an index', async () => {
    const checks = await accessChecksFor(
      'Query',
      {
        TableName: 't',
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'shipped' } },
      },
      ctx,
    );

    expect(checks).toEqual([
      { action: 'dynamodb:Query', resourceArn: `${arn}/index/byStatus`, leadingKeys: ['shipped'] },
    ]);
  });

  it('collects every key of a BatchWriteItem per table', async () => {
    const checks = await accessChecksFor(
      'BatchWriteItem',
      {
        RequestItems: {
          t: [{ PutRequest: { Item: { pk: { S: 'a' } } } }, { DeleteRequest: { Key: { pk: { S: 'b' } } } }],
        },
      },
      ctx,
    );

    expect(checks).toEqual([
      { action: 'dynamodb:BatchWriteItem', resourceArn: arn, leadingKeys: ['a', 'b'] },
    ]);
  });

  it('maps TransactWriteItems members to their item actions', async () => {
    const checks = await accessChecksFor(
      'TransactWriteItems',
      {
        TransactItems: [
          { Put: { TableName: 't', Item: { pk: { S: 'a' } } } },
          { ConditionCheck: { TableName: arn, Key: { pk: { S: 'b' } }, ConditionExpression: 'x' } },
        ],
      },
      ctx,
    );

    expect(checks.map((c) => [c.action, c.resourceArn, c.leadingKeys])).toEqual([
      ['dynamodb:PutItem', arn, ['a']],
      ['dynamodb:ConditionCheckItem', arn, ['b']],
    ]);
  });

  it('refuses a GetItem without the partition key, which would otherwise carry no leading key', async () => {
    await expect(
      accessChecksFor('GetItem', { TableName: 't', Key: { other: { S: 'a' } } }, ctx),
    ).rejects.toMatchObject({
      type: 'ValidationException',
    });
  });

  it('asks for dynamodb:TagResource too when CreateTable carries tags, as AWS does', async () => {
    // Act
    const tagged = await accessChecksFor(
      'CreateTable',
      { TableName: 't', Tags: [{ Key: 'k', Value: 'v' }] },
      ctx,
    );
    const untagged = await accessChecksFor('CreateTable', { TableName: 't' }, ctx);

    // Assess
    expect(tagged).toEqual([
      { action: 'dynamodb:CreateTable', resourceArn: arn },
      { action: 'dynamodb:TagResource', resourceArn: arn },
    ]);
    expect(untagged).toEqual([{ action: 'dynamodb:CreateTable', resourceArn: arn }]);
  });

  it('uses * for account-level operations', async () => {
    expect(await accessChecksFor('ListTables', {}, ctx)).toEqual([
      { action: 'dynamodb:ListTables', resourceArn: '*' },
    ]);
  });
});
