export { describeDeadLetterAlarm, TEST_ALARM_TOPIC_ARN } from './alarms';
export type { LogLine, MetricLine } from './capture';
export { captureLogs, captureOutput, metricLines } from './capture';
export { lambdaContext } from './context';
export type { BedrockActionGroupEvent, WebSocketEvent } from './events';
export {
  bedrockActionGroupEvent,
  eventBridgeEvent,
  httpApiEvent,
  webSocketConnectEvent,
  webSocketDisconnectEvent,
} from './events';
export { randomTenantId, randomUserId } from './ids';
export type { JwksServer } from './jwks-server';
export { serveJwks } from './jwks-server';
export type { CfnResource, CfnTemplate, PackageServiceOptions } from './serverless-package';
export { packageService, resourcesOfType, webAddressParams } from './serverless-package';
export type { PhysicalName } from './template-names';
export { NAME_LIMITS, overlongNames, physicalNames, roleNamesReferenced } from './template-names';
export type { StackTemplate, TemplateProblem } from './template-schema';
export { checkStackImports, checkTemplateSchema, cloudFormationSpec, referencesIn } from './template-schema';
export type { TestIssuer, TokenOptions } from './tokens';
export { badTokens, createTestIssuer, defaultTenantId } from './tokens';
