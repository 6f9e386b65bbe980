import { policyVariable, tables, tenantA, unchecked } from '../test/credentials';
import { userA } from '../test/ids';
import { TENANT_DATA_ACTIONS, tenantSessionPolicy } from './credentials';
import { InvalidTenantIdError, InvalidUserIdError, ScopedCredentialsError } from './errors';

describe('tenantSessionPolicy', () => {
  it('allows only GetItem and Query on the own tenant key and the own user key', () => {
    // Act
    const policy = tenantSessionPolicy(tenantA, tables);

    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadOwnTenantConfig',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: [tables.tenantConfigTableArn],
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['tenant-a'] },
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        },
        {
          Sid: 'ReadOwnOrders',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: [`${tables.ordersTableArnPrefix}tenant-a`],
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [userA] },
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        },
      ],
    });
    expect(TENANT_DATA_ACTIONS).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('contains no wildcard and no policy variable', () => {
    expect(JSON.stringify(tenantSessionPolicy(tenantA, tables))).not.toMatch(/[*?$]/);
  });

  it.each([
    ['*', userA, InvalidTenantIdError],
    [policyVariable('aws:PrincipalTag/tenantId'), userA, InvalidTenantIdError],
    ['tenant-a', '*', InvalidUserIdError],
    ['tenant-a', policyVariable('aws:userid'), InvalidUserIdError],
  ])('refuses the unvalidated ids %p / %p', (tenantId, userId, errorType) => {
    expect(() => tenantSessionPolicy(unchecked(tenantId, userId), tables)).toThrow(errorType);
  });

  const configMessage = 'tenantConfigTableArn is not a DynamoDB table ARN';
  const prefixMessage = 'ordersTableArnPrefix is not a DynamoDB table ARN prefix';
  it.each([
    [
      'a wildcard config table',
      { ...tables, tenantConfigTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/*' },
      configMessage,
    ],
    ['a non-table config ARN', { ...tables, tenantConfigTableArn: 'arn:aws:s3:::bucket' }, configMessage],
    [
      'a config index ARN',
      { ...tables, tenantConfigTableArn: `${tables.tenantConfigTableArn}/index/x` },
      configMessage,
    ],
    [
      'a wildcard orders prefix',
      { ...tables, ordersTableArnPrefix: 'arn:aws:dynamodb:us-east-1:123456789012:table/*' },
      prefixMessage,
    ],
    [
      'an orders prefix with a variable',
      {
        ...tables,
        ordersTableArnPrefix: `arn:aws:dynamodb:us-east-1:123456789012:table/${policyVariable('x')}-`,
      },
      prefixMessage,
    ],
    [
      'an orders prefix without a table part',
      { ...tables, ordersTableArnPrefix: 'arn:aws:dynamodb:us-east-1:123456789012:' },
      prefixMessage,
    ],
  ])('refuses %s', (_label, badTables, message) => {
    expect(() => tenantSessionPolicy(tenantA, badTables)).toThrow(new ScopedCredentialsError(message));
  });
});
