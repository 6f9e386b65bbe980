import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { STSClient } from '@aws-sdk/client-sts';
import { tracedClient } from '@tenant-assistant/lambda-kit/tracing';
import { tracer } from './observability';

/**
 * The service's AWS clients, created once per container. Region and endpoints come from the SDK's
 * standard configuration (`AWS_REGION`, `AWS_ENDPOINT_URL_<SERVICE>` for the local stack).
 *
 * InvokeAgent is not retried by the SDK (`maxAttempts: 1`): this service retries it itself, with
 * backoff, within a deadline derived from the Lambda's remaining time (as it does STS and
 * EventBridge calls, on top of the SDK's own few quick attempts). The request-response calls give
 * up on a silent endpoint after a few seconds (the SDK's default waits forever), so a hung
 * dependency becomes a retry or an AnswerFailed, never a stuck invocation. Every call is traced in X-Ray.
 */
const requestHandler = { connectionTimeout: 1_000, requestTimeout: 3_000 };
export const clients = {
  agent: tracedClient(tracer, new BedrockAgentRuntimeClient({ maxAttempts: 1 })),
  cognito: tracedClient(tracer, new CognitoIdentityProviderClient({ requestHandler })),
  dynamodb: tracedClient(tracer, new DynamoDBClient({ requestHandler })),
  eventBridge: tracedClient(tracer, new EventBridgeClient({ requestHandler })),
  sts: tracedClient(tracer, new STSClient({ requestHandler })),
};
