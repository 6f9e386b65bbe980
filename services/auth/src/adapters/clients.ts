import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracedClient } from '@tenant-assistant/lambda-kit/tracing';
import { tracer } from '../observability';

/**
 * The AWS clients of the service, created once per container (endpoints from the standard env vars),
 * each call traced in X-Ray.
 */
export const cognito = tracedClient(tracer, new CognitoIdentityProviderClient({}));
export const eventBridge = tracedClient(tracer, new EventBridgeClient({}));
export const s3 = tracedClient(tracer, new S3Client({}));
export const documents = DynamoDBDocumentClient.from(tracedClient(tracer, new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
