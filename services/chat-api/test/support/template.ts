import { join } from 'node:path';
import {
  type CfnResource,
  type CfnTemplate,
  type PolicyStatement,
  packageService,
  roleStatements,
  TEST_ALARM_TOPIC_ARN,
  webAddressParams,
} from '@tenant-assistant/testing';

/**
 * chat-api's packaged templates (dev, prod), shared by the template tests (test/template/*.ts):
 * test/template.test.ts packages them once, in `packageStages`, before any of them runs.
 */
export const serviceDir = join(__dirname, '..', '..');
export const FUNCTIONS = [
  'submitPrompt',
  'getAnswer',
  'listAnswers',
  'listConversations',
  'getUsage',
  'wsConnect',
  'wsDisconnect',
  'onAnswerEvent',
  'sweepAnswers',
  'offboardTenant',
];

export let dev: CfnTemplate;
export let prod: CfnTemplate;

/**
 * Packages dev and prod (`beforeAll` of the template tests). The local stage's template is checked in
 * local-stage.test.ts (it packages that stage anyway).
 */
export const packageStages = async () => {
  [dev, prod] = await Promise.all([
    packageService(serviceDir, {
      stage: 'dev',
      params: { ...webAddressParams, webOrigin: 'https://dev.chat.example.com' },
    }),
    packageService(serviceDir, {
      stage: 'prod',
      params: {
        ...webAddressParams,
        cognitoWebClientId: 'prodwebclient123',
        alarmTopicArn: TEST_ALARM_TOPIC_ARN,
      },
    }),
  ]);
};

export const resource = (template: CfnTemplate, logicalId: string): CfnResource => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`${logicalId} is not in the template`);
  return found;
};
export const props = (template: CfnTemplate, logicalId: string) =>
  resource(template, logicalId).Properties ?? {};

/** A statement of a role's inline policies (testing's). */
export type Statement = PolicyStatement;
/** A role's statements but the X-Ray trace writes every function role has (testing's `roleStatements`). */
export const statementsOf = (template: CfnTemplate, roleId: string): Statement[] =>
  roleStatements(resource(template, roleId));
export const actionsOf = (template: CfnTemplate, roleId: string) =>
  statementsOf(template, roleId)
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
    .sort();
export const roleOf = (template: CfnTemplate, functionName: string) => {
  const logicalId = `${functionName[0]?.toUpperCase()}${functionName.slice(1)}LambdaFunction`;
  return (props(template, logicalId).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
};
