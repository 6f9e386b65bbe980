import { join } from 'node:path';
import {
  type CfnResource,
  type CfnTemplate,
  type PolicyStatement,
  packageService,
  resourcesOfType,
  roleStatements,
  TEST_ALARM_TOPIC_ARN,
} from '@tenant-assistant/testing';

const serviceDir = join(__dirname, '..', '..');
export const roleOverride = 'arn:aws:iam::123456789012:role/custom-data-access';

/** How each stage the tests read is packaged. */
const STAGES = {
  dev: { stage: 'dev' },
  prod: {
    stage: 'prod',
    params: {
      tenantDataAccessRoleArn: roleOverride,
      streamFinalResponse: 'false',
      alarmTopicArn: TEST_ALARM_TOPIC_ARN,
    },
  },
  local: { stage: 'local', params: { reservedConcurrency: '3' } },
} as const;

/** The service packaged for the dev stage, for prod (with overridden parameters) and for local. */
export type Templates = Record<keyof typeof STAGES, CfnTemplate>;

/**
 * The service packaged for each of `stages`, one after the other: packaging runs share the
 * service's .esbuild work folder.
 */
export const packaged = async <S extends keyof typeof STAGES>(...stages: S[]) => {
  const templates = {} as Record<S, CfnTemplate>;
  for (const stage of stages) templates[stage] = await packageService(serviceDir, STAGES[stage]);
  return templates;
};

export const only = (template: CfnTemplate, type: string): CfnResource => {
  const resources = resourcesOfType(template, type);
  expect(resources).toHaveLength(1);
  return (resources[0] as [string, CfnResource])[1];
};
// biome-ignore lint/suspicious/noExplicitAny: template properties are compared by value
export const props = (resource: CfnResource) => resource.Properties as Record<string, any>;
export const importOf = (name: string) => ({ 'Fn::ImportValue': name });

/** A statement of a role's inline policies (testing's). */
export type Statement = PolicyStatement;
/** The role's statements but the X-Ray trace writes every function role has (testing's `roleStatements`). */
export const statements = (template: CfnTemplate): Statement[] =>
  roleStatements(only(template, 'AWS::IAM::Role'));
export const actionsOf = (statement: Statement) => [statement.Action].flat();
