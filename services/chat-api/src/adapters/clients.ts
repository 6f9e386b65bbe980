import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from '@tenant-assistant/lambda-kit/config';
import { tracedClient } from '@tenant-assistant/lambda-kit/tracing';
import { config } from '../config';
import { tracer } from '../observability';

/**
 * AWS clients, created once per container. Region, credentials and endpoints come from the SDK's
 * standard configuration (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_EVENTBRIDGE`,
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`…),
 * which is how the local stack is reached: there is no local branch here. Every call is traced in X-Ray.
 */
export const documentClient = DynamoDBDocumentClient.from(tracedClient(tracer, new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});

export const eventBridgeClient = tracedClient(tracer, new EventBridgeClient({}));

/** The user pool's admin API (the usage API reads the caller's groups). */
export const cognitoClient = tracedClient(tracer, new CognitoIdentityProviderClient({}));

/** The WebSocket management API of this stage, created on first use (its endpoint is configuration). */
export const managementApiClient = once(() =>
  tracedClient(tracer, new ApiGatewayManagementApiClient({ endpoint: config.websocketApiEndpoint() })),
);
