import {
  type CfnTemplate,
  resourceOf as resource,
  roleStatements,
  type PolicyStatement as Statement,
} from '@tenant-assistant/testing';

export const service = 'tenant-assistant-order-action-group';

/** The service packaged for the dev stage, for prod (with overridden parameters) and for local. */
export interface Templates {
  dev: CfnTemplate;
  prod: CfnTemplate;
  local: CfnTemplate;
}

export type Role = {
  AssumeRolePolicyDocument: { Statement: Statement[] };
  Policies?: { PolicyDocument: { Statement: Statement[] } }[];
};

export const properties = <T = Record<string, unknown>>(template: CfnTemplate, logicalId: string) =>
  resource(template, logicalId).Properties as T;
export const policyStatements = (template: CfnTemplate, roleId: string): Statement[] =>
  roleStatements(resource(template, roleId));
