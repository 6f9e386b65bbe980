/**
 * @tenant-assistant/dev-stack — runs the whole Tenant Assistant on one machine against LOCAL
 * STAND-INS for AWS services (development and tests only, never deployed).
 */
export * from './client';
export { LOCAL_USER_POOL_ID, type LocalCognito, startLocalCognito } from './cognito';
export { latestTemporaryPassword, type MailboxMessage, readMailbox } from './mailbox';
export { invokeLocalLambda, LambdaInvokeError, startServerlessOffline } from './offline';
export * from './orders';
export * from './ports';
export { KNOWN_DEV_PASSWORD, SEED_TENANTS, SEED_USERS, seedStack } from './seed';
export {
  LOCAL_AGENT_ALIAS_ID,
  LOCAL_AGENT_ID,
  localScopedCredentialsProvider,
  localServiceEnv,
  modelFromEnv,
  type RunningStack,
  SERVICES,
  STAGE,
  type StartStackOptions,
  startStack,
} from './stack';
export { readStackInfo, type StackInfo } from './state';
export { createTablesOfTemplate, tablesOfTemplate } from './tables';
export { readSeededUsers, type SeededUser } from './users';
export { localWebConfig, serveWeb } from './web';
