export {
  describeDeadLetterAlarm,
  describeFunctionDeadLetter,
  type FunctionDeadLetter,
  TEST_ALARM_TOPIC_ARN,
} from './alarms';
export type { LogLine, MetricLine } from './capture';
export { captureLogs, captureOutput, metricLines } from './capture';
export { lambdaContext } from './context';
export * from './events';
export { randomTenantId, randomUserId } from './ids';
export type { JwksServer } from './jwks-server';
export { serveJwks } from './jwks-server';
export type { ExpectedMetricLine } from './metric-lines';
export { expectMetricLines } from './metric-lines';
export type {
  CfnResource,
  CfnTemplate,
  PackagedStack,
  PackageServiceOptions,
  StackTemplate,
} from './serverless-package';
export {
  invokeLocalResponse,
  packageService,
  packageServices,
  resourcesOfType,
  webAddressParams,
} from './serverless-package';
export { checkStackImports } from './stack-imports';
export type { PhysicalName } from './template-names';
export { NAME_LIMITS, overlongNames, physicalNames, roleNamesReferenced } from './template-names';
export type { PolicyStatement } from './template-policies';
export {
  actionsOf,
  allRoleStatements,
  isTraceWriteStatement,
  resourceOf,
  roleStatements,
  TRACE_WRITE_ACTIONS,
} from './template-policies';
export type { Reference } from './template-references';
export { dependencyCycle, referencesIn } from './template-references';
export type { TemplateProblem } from './template-schema';
export { checkTemplateSchema, cloudFormationSpec } from './template-schema';
export type { TestIssuer, TokenOptions } from './tokens';
export { badTokens, createTestIssuer, defaultTenantId } from './tokens';
