import { multivaluedKeyProblems } from '../src';

describe('multivaluedKeyProblems', () => {
  const statement = (Condition: Record<string, Record<string, unknown>>) => ({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Publish', Effect: 'Allow' as const, Action: 'events:PutEvents', Resource: '*', Condition },
    ],
  });

  it.each([
    ['events:source', 'StringEquals'],
    ['events:detail-type', 'StringLike'],
    ['dynamodb:LeadingKeys', 'StringEquals'],
    ['aws:TagKeys', 'StringEquals'],
  ])('finds a plain operator over the multivalued key %s', async (key, operator) => {
    // Act
    const problems = await multivaluedKeyProblems(statement({ [operator]: { [key]: 'x' } }), 'role/test');

    // Assess
    expect(problems).toEqual([
      expect.objectContaining({
        key,
        operator,
        message: expect.stringContaining(`role/test Publish: ${operator} over the multivalued key ${key}`),
      }),
    ]);
  });

  it.each([
    ['ForAllValues:StringEquals', 'events:source'],
    ['ForAnyValue:StringLike', 'events:detail-type'],
    ['Null', 'aws:TagKeys'],
    ['StringEquals', 'aws:PrincipalArn'],
    ['StringEquals', 'aws:PrincipalTag/tenantId'],
  ])('accepts %s over %s', async (operator, key) => {
    // Act
    const problems = await multivaluedKeyProblems(statement({ [operator]: { [key]: 'x' } }), 'role/test');

    // Assess
    expect(problems).toEqual([]);
  });
});
