import { join } from 'node:path';
import { effectiveTemplate } from '@tenant-assistant/local-stack';
import {
  type CfnResource,
  type CfnTemplate,
  packageService,
  resourcesOfType,
  webAddressParams,
} from '@tenant-assistant/testing';

/**
 * auth's packaged templates, one per stage / parameter set, shared by the template tests
 * (test/template/*.ts): test/template.test.ts packages them once, in `packageStages`, before any of them runs.
 */
export const controlBusArnSub =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
  'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/tenant-assistant-control-dev';

export const serviceDir = join(__dirname, '..', '..');
export const smsRoleArn = 'arn:aws:iam::123456789012:role/cognito-sms';

/** The dev stage. */
export let dev: CfnTemplate;
/** The prod stage. */
export let prod: CfnTemplate;
/** The local stage (the stand-ins). */
export let local: CfnTemplate;
/** dev with every optional parameter set (SMS role, password policy, URLs, hosted-UI prefix). */
export let custom: CfnTemplate;

/** Packages the four stages (`beforeAll` of the template tests). */
export const packageStages = async () => {
  // `serverless package` offline, with no AWS credentials, once per stage / parameter set. One at a
  // time: concurrent runs in one service folder share (and delete) its .esbuild build folder.
  const runs: [string, Record<string, string>][] = [
    ['dev', webAddressParams],
    ['prod', webAddressParams],
    ['local', {}],
    [
      'dev',
      {
        ...webAddressParams,
        smsRoleArn,
        passwordMinimumLength: '16',
        passwordRequireSymbols: 'false',
        temporaryPasswordValidityDays: '1',
        callbackUrls: 'https://app.example.com/callback,http://localhost:5173/',
        logoutUrls: 'https://app.example.com/',
        hostedUiDomainPrefix: 'acme-assistant',
      },
    ],
  ];
  const templates: CfnTemplate[] = [];
  for (const [stage, params] of runs) {
    templates.push(effectiveTemplate(await packageService(serviceDir, { stage, params })));
  }
  [dev, prod, local, custom] = templates as [CfnTemplate, CfnTemplate, CfnTemplate, CfnTemplate];
};

export const only = (template: CfnTemplate, type: string): [string, CfnResource] => {
  const found = resourcesOfType(template, type);
  expect(found).toHaveLength(1);
  return found[0] as [string, CfnResource];
};
export const props = (template: CfnTemplate, id: string): Record<string, unknown> => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`No resource ${id}`);
  return resource.Properties ?? {};
};
export const pool = (template: CfnTemplate) => props(template, 'UserPool');
export const client = (template: CfnTemplate, name: string) => {
  const found = resourcesOfType(template, 'AWS::Cognito::UserPoolClient').find(
    ([, resource]) => resource.Properties?.ClientName === name,
  );
  if (!found) throw new Error(`No client ${name}`);
  return found[1].Properties ?? {};
};
export const functionEnv = (template: CfnTemplate, logicalId: string) =>
  (props(template, logicalId).Environment as { Variables: Record<string, unknown> }).Variables;
