import { STSClient } from '@aws-sdk/client-sts';
import { createScopedCredentialsProvider } from '@tenant-assistant/tenant-context/credentials';
import type { StackPorts } from './ports';
import { readFunctionCredentials } from './roles';
import type { StackInfo } from './state';

export const STAGE = 'local';
export const LOCAL_AGENT_ID = 'LOCALAGENT';
export const LOCAL_AGENT_ALIAS_ID = 'LOCALALIAS';
/** The local alias of the premium tiers (agent-invoker's `premiumAgentAliasId` on the local stage). */
export const LOCAL_PREMIUM_AGENT_ALIAS_ID = 'LOCALPREM1';
/**
 * Most invocations of one function running at once locally (its reservedConcurrency when lower):
 * asynchronous ones wait in the function's queue, synchronous ones (HTTP, WebSocket, Invoke) wait
 * for a free instance in serverless-offline (patched: patches/serverless-offline@*.patch). On AWS
 * more containers would start; two cores cannot start fifty worker isolates at once (README).
 */
export const LOCAL_FUNCTION_CONCURRENCY = 10;

/** The four services, their folders and which serverless-offline ports they use. */
export const SERVICES = {
  auth: { dir: 'services/auth', http: 'authHttp', ws: 'authWebSocket', lambda: 'authLambda' },
  orderActionGroup: {
    dir: 'services/order-action-group',
    http: 'orderActionGroupHttp',
    ws: 'orderActionGroupWebSocket',
    lambda: 'orderActionGroupLambda',
  },
  chatApi: { dir: 'services/chat-api', http: 'chatApiHttp', ws: 'chatApiWebSocket', lambda: 'chatApiLambda' },
  agentInvoker: {
    dir: 'services/agent-invoker',
    http: 'agentInvokerHttp',
    ws: 'agentInvokerWebSocket',
    lambda: 'agentInvokerLambda',
  },
} as const satisfies Record<
  string,
  { dir: string; http: keyof StackPorts; ws: keyof StackPorts; lambda: keyof StackPorts }
>;
export type ServiceKey = keyof typeof SERVICES;

/**
 * The dev tools' key (seeding, manage-orders): authenticated by the stand-ins but never evaluated.
 * No function uses it: each function runs with a session of its own execution role as packaged
 * (see roles.ts), and every call made with it is evaluated against that role.
 */
export const ADMIN_KEY = { accessKeyId: 'LOCALADMIN', secretAccessKey: 'local-admin-secret' };

/**
 * The environment a service's handlers get locally: the local endpoints through the SDK's standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, the file with each function's own role credentials (the
 * local serverless plugin puts them into each function's environment), and the values its `local`
 * stage parameters read from the environment. The same for serverless-offline and `invoke local`.
 */
export const localServiceEnv = (info: StackInfo, _key: ServiceKey, base: NodeJS.ProcessEnv = process.env) => {
  const env: NodeJS.ProcessEnv = {
    ...base,
    AWS_REGION: info.region,
    AWS_DEFAULT_REGION: info.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    TA_LOCAL_FUNCTION_CREDENTIALS: info.functionCredentialsFile,
    AWS_ENDPOINT_URL_DYNAMODB: info.dynamodbUrl,
    AWS_ENDPOINT_URL_STS: info.stsUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: info.eventBridgeUrl,
    AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: info.bedrockUrl,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: info.cognitoUrl,
    AWS_ENDPOINT_URL_SQS: info.sqsUrl,
    AWS_ENDPOINT_URL_LAMBDA: info.lambdaUrl,
    COGNITO_WEB_CLIENT_ID: info.webClientId,
    COGNITO_ISSUER_URL: info.cognitoIssuer,
    WEB_ORIGIN: info.webUrl,
    WEBSOCKET_API_ENDPOINT: info.webSocketUrl.replace(/^ws/, 'http'),
  };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
    delete env[name];
  return env;
};

/** The agent-invoker's function, whose role TenantDataAccessRole trusts. */
const AGENT_INVOKER_FUNCTION = `tenant-assistant-agent-invoker-${STAGE}-invokeAgent`;

/**
 * tenant-context's scoped-credentials provider exactly as the agent-invoker configures it against
 * the running local system: AssumeRole on TenantDataAccessRole through the STS stand-in, as the
 * agent-invoker function's own role (for tools and tests that need a user's tenant-scoped credentials).
 */
export const localScopedCredentialsProvider = (info: StackInfo) => {
  const tableArn = (name: string) => `arn:aws:dynamodb:${info.region}:${info.accountId}:table/${name}`;
  const invoker = readFunctionCredentials(info.functionCredentialsFile, AGENT_INVOKER_FUNCTION);
  return createScopedCredentialsProvider({
    roleArn: `arn:aws:iam::${info.accountId}:role/tenant-assistant-order-action-group-${STAGE}-data-access`,
    sts: new STSClient({ region: info.region, endpoint: info.stsUrl, credentials: invoker }),
    tables: {
      tenantConfigTableArn: tableArn(info.tenantConfigTableName),
      ordersTableArnPrefix: tableArn(info.ordersTablePrefix),
    },
  });
};

/** Scheduled functions run this many times more often locally than their rate says. */
export const LOCAL_SCHEDULE_SPEED_UP = 6;
