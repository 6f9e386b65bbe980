import { iamActionsOf } from './sdk-actions';

describe('iamActionsOf', () => {
  test.each([
    ['@aws-sdk/lib-dynamodb', 'GetCommand', 'dynamodb:GetItem'],
    ['@aws-sdk/lib-dynamodb', 'QueryCommand', 'dynamodb:Query'],
    ['@aws-sdk/client-dynamodb', 'DescribeTableCommand', 'dynamodb:DescribeTable'],
    ['@aws-sdk/client-cognito-identity-provider', 'AdminGetUserCommand', 'cognito-idp:AdminGetUser'],
    ['@aws-sdk/client-eventbridge', 'PutEventsCommand', 'events:PutEvents'],
    ['@aws-sdk/client-sts', 'AssumeRoleCommand', 'sts:AssumeRole'],
    ['@aws-sdk/client-bedrock-agent-runtime', 'InvokeAgentCommand', 'bedrock:InvokeAgent'],
    ['@aws-sdk/client-apigatewaymanagementapi', 'PostToConnectionCommand', 'execute-api:ManageConnections'],
    ['@aws-sdk/client-lambda', 'InvokeCommand', 'lambda:InvokeFunction'],
    ['@aws-sdk/client-dynamodb', 'waitUntilTableExists', 'dynamodb:DescribeTable'],
    ['@aws-sdk/client-s3', 'ListObjectsV2Command', 's3:ListBucket'],
    ['@aws-sdk/client-s3', 'DeleteObjectsCommand', 's3:DeleteObject'],
  ])('maps %s %s to %s', (clientPackage, command, action) => {
    // Act / Assess
    expect(iamActionsOf(clientPackage, command)).toEqual([action]);
  });

  test('maps a transaction to the actions of its kinds of item, as IAM authorizes it', () => {
    // Act / Assess
    expect(iamActionsOf('@aws-sdk/lib-dynamodb', 'TransactWriteCommand', ['Put', 'Update', 'Put'])).toEqual([
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(iamActionsOf('@aws-sdk/client-dynamodb', 'TransactWriteItemsCommand', ['ConditionCheck'])).toEqual(
      ['dynamodb:ConditionCheckItem'],
    );
    expect(() => iamActionsOf('@aws-sdk/lib-dynamodb', 'TransactWriteCommand')).toThrow(/kinds of item/);
  });

  test('knows no action for a package that is not an AWS client', () => {
    // Act / Assess
    expect(iamActionsOf('ulid', 'FooCommand')).toEqual([]);
  });

  test('refuses an AWS client package it does not know instead of finding no action', () => {
    // Act / Assess
    expect(() => iamActionsOf('@aws-sdk/client-kinesis', 'PutRecordCommand')).toThrow(
      '@aws-sdk/client-kinesis: its IAM service prefix is not known',
    );
  });
});
