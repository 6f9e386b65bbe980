import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * The service's AWS clients, created once per container. Region and endpoints come from the SDK's
 * standard configuration (`AWS_REGION`, `AWS_ENDPOINT_URL_<SERVICE>` for the local stack).
 *
 * InvokeAgent is not retried by the SDK (`maxAttempts: 1`): this service retries it itself, with
 * backoff, within a deadline derived from the Lambda's remaining time.
 */
export const clients = {
  agent: new BedrockAgentRuntimeClient({ maxAttempts: 1 }),
  cognito: new CognitoIdentityProviderClient({}),
  dynamodb: new DynamoDBClient({}),
  eventBridge: new EventBridgeClient({}),
  sts: new STSClient({}),
};
