import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

/** The SDK clients auth's functions use, mocked (every client of the type in the test file). */
export const cognitoMock = mockClient(CognitoIdentityProviderClient);
export const documentsMock = mockClient(DynamoDBDocumentClient);
export const eventBridgeMock = mockClient(EventBridgeClient);
export const s3Mock = mockClient(S3Client);

/** Forgets every mock's behaviour and calls. */
export const resetMocks = () => {
  for (const mock of [cognitoMock, documentsMock, eventBridgeMock, s3Mock]) mock.reset();
};
