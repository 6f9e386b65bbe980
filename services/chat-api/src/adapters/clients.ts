import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from '@tenant-assistant/lambda-kit/config';
import { config } from '../config';

/**
 * AWS clients, created once per container. Region, credentials and endpoints come from the SDK's
 * standard configuration (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_EVENTBRIDGE`,
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`…),
 * which is how the local stack is reached: there is no local branch here.
 */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const eventBridgeClient = new EventBridgeClient({});

/** The user pool's admin API (the usage API reads the caller's groups). */
export const cognitoClient = new CognitoIdentityProviderClient({});

/** The WebSocket management API of this stage, created on first use (its endpoint is configuration). */
export const managementApiClient = once(
  () => new ApiGatewayManagementApiClient({ endpoint: config.websocketApiEndpoint() }),
);
