/**
 * @tenant-assistant/local-stack — LOCAL STAND-INS for AWS services, for development and tests only.
 * Nothing here is deployed or bundled into a Lambda (it depends on @cloud-copilot/iam-simulate, AGPL-3.0).
 */

export { createHostileModel, HOSTILE_VALUES, type HostileModelOptions } from './bedrock/hostile-model';
export {
  createIntentRouterModel,
  FAILURE_ANSWER,
  FALLBACK_ANSWER,
  phraseAnswer,
  REPROMPT_ANSWER,
  routeIntent,
} from './bedrock/intent-router';
export {
  chatMessagesFor,
  createOpenAiCompatibleModel,
  DEFAULT_SYSTEM_PROMPT,
  type OpenAiCompatibleModelOptions,
} from './bedrock/openai-model';
export {
  type AgentInvocation,
  type BedrockErrorType,
  type InjectedFault,
  type LocalBedrockAgent,
  type LocalBedrockAgentOptions,
  splitIntoChunks,
  startLocalBedrockAgent,
} from './bedrock/server';
export {
  type ActionFunctionDefinition,
  type ActionFunctionParameter,
  type ActionGroupDefinition,
  type AgentDecision,
  type AgentModel,
  type AgentStep,
  type AgentTurn,
  type BedrockActionGroupEvent,
  type BedrockActionGroupResponse,
  type ConversationTurn,
  type FunctionCall,
  type FunctionResult,
  type InvokeActionGroup,
  ORDER_ACTION_GROUP,
} from './bedrock/types';
export {
  arnOfResource,
  type CloudFormationTemplate,
  cloudFormationYamlTags,
  effectiveTemplate,
  evaluateConditions,
  type IntrinsicContext,
  intrinsicResolver,
  parseCloudFormationYaml,
  resolveIntrinsics,
  resolvePolicyDocument,
} from './cloudformation';
export {
  type CognitoLocal,
  type CognitoLocalOptions,
  type CognitoMessage,
  type CognitoTrigger,
  startCognitoLocal,
} from './cognito/local';
export {
  type AdminKey,
  type AuthenticatedCaller,
  AuthenticationFault,
  authenticateCaller,
  type CallerDirectory,
  sessionContext,
} from './common/caller';
export type { ListenOptions, LocalEndpoint } from './common/net';
export { ServerlessConfig, type ServerlessConfigOptions } from './common/serverless-config';
export { type ParsedAuthorization, parseAuthorizationHeader } from './common/sigv4';
export {
  type AccessCheck,
  accessChecksFor,
  partitionKeyValuesFromExpression,
  type TableKeySchema,
} from './dynamodb/authorization';
export {
  type AdminCredentials,
  type DynamoDbIamGateway,
  type DynamoDbIamGatewayOptions,
  type GatewayDecision,
  startDynamoDbIamGateway,
} from './dynamodb/gateway';
export { type DynamoDbLocal, type DynamoDbLocalOptions, startDynamoDbLocal } from './dynamodb/local';
export * from './errors';
export {
  authorizeEntry,
  type EntryAuthorizationRequest,
  type EntryRefusal,
} from './eventbridge/authorization';
export { type EventPattern, matchesPattern, validateEventPattern } from './eventbridge/pattern';
export {
  type LocalScheduler,
  type LocalSchedulerOptions,
  loadSchedulesFromServerlessYml,
  parseRateExpression,
  type ScheduledFunction,
  scheduledEvent,
  startLocalScheduler,
} from './eventbridge/schedules';
export {
  type EventBridgeEnvelope,
  type EventBridgeIamOptions,
  type EventBridgeInvoke,
  type EventDelivery,
  type LocalEventBridge,
  type LocalEventBridgeOptions,
  type PublishedEvent,
  startLocalEventBridge,
} from './eventbridge/server';
export {
  type EventBridgeRule,
  eventBusName,
  type LoadRulesOptions,
  loadRulesFromServerlessYml,
} from './eventbridge/serverless-rules';
export {
  type AuthorizationDecision,
  type AuthorizationRequest,
  authorize,
  type DenialReason,
  type PrincipalPolicies,
} from './iam/evaluate';
export {
  eventBusPoliciesFromTemplate,
  type FunctionRole,
  functionRolesFromTemplate,
} from './iam/packaged-template';
export { multivaluedKeyProblems, type PolicyProblem } from './iam/policy-lint';
export { iamActionsOf, SDK_CLIENT_PACKAGES } from './iam/sdk-actions';
export { rolesFromCloudFormationTemplate } from './iam/template-roles';
export * from './iam/types';
export {
  type AsyncInvocation,
  type AsyncInvoker,
  type AsyncInvokerOptions,
  type AsyncTarget,
  createAsyncInvoker,
  type DeadLetterMessage,
  type DeadLetterSink,
  type FailureCondition,
  type RuleTargetPolicy,
  TargetUnreachableError,
} from './lambda/async-invocation';
export {
  type AsyncInvocationSettings,
  asyncSettingsOf,
  type LocalLambdaFunction,
  loadFunctionsFromServerlessYml,
} from './lambda/functions';
export { type LocalLambda, type LocalLambdaOptions, startLocalLambda } from './lambda/server';
export { type LocalSqs, type LocalSqsOptions, type StoredMessage, startLocalSqs } from './sqs/server';
export {
  type KnownCaller,
  type LocalSts,
  type LocalStsOptions,
  type LocalStsStats,
  type ServiceSessionRequest,
  startLocalSts,
} from './sts/server';
export { InMemorySessionStore, type SessionStore, type StsSession } from './sts/session-store';
