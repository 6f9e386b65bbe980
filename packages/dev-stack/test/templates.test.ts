import { join } from 'node:path';
import {
  REGION_MAX_LENGTH,
  regionProblem,
  STAGE_MAX_LENGTH,
  stageProblem,
} from '@tenant-assistant/lambda-kit/stage';
import { type CloudFormationTemplate, resolveIntrinsics } from '@tenant-assistant/local-stack';
import { ordersTableName } from '@tenant-assistant/tenant-context';
import {
  type CfnTemplate,
  checkStackImports,
  checkTemplateSchema,
  overlongNames,
  packageService,
  packageServices,
  physicalNames,
  resourcesOfType,
  roleNamesReferenced,
  type StackTemplate,
  webAddressParams,
} from '@tenant-assistant/testing';
import { type DeployedService, planDeployment } from '../src/deploy-plan';

// Every service's packaged template, judged before anything is deployed: against AWS's CloudFormation
// resource specification (@aws-cdk/aws-service-spec, offline) and, across the stacks, every
// Fn::ImportValue against the exports of the stacks deployed before it. Each service is packaged once;
// the refusals are shown on copies of those templates. They are packaged with the longest stage in the
// longest region the project accepts (lambda-kit's stage rule), so that every physical name they
// generate is judged against its AWS limit at its longest.

jest.setTimeout(300_000);

const accountId = '123456789012';
const region = 'ap-southeast-4';
const stage = 'production';
const SERVICES = ['auth', 'order-action-group', 'chat-api', 'agent-invoker', 'web'] as const; // deploy order
const servicesDir = join(__dirname, '..', '..', '..', 'services');

let stacks: StackTemplate[] = [];

beforeAll(async () => {
  stacks = await packageServices(servicesDir, SERVICES, { stage, region, params: webAddressParams });
});

/** A name expression as CloudFormation resolves it in `stack` (undefined when it cannot offline). */
const resolveName = (value: unknown, stack: StackTemplate): string | undefined => {
  try {
    const resolved = resolveIntrinsics(value, {
      accountId,
      region,
      stackName: stack.stack,
      template: stack.template as CloudFormationTemplate,
    });
    return typeof resolved === 'string' ? resolved : undefined;
  } catch {
    return undefined;
  }
};

const copyOf = (service: (typeof SERVICES)[number]): CfnTemplate => {
  const stack = stacks.find((candidate) => candidate.stack === `tenant-assistant-${service}-${stage}`);
  if (!stack) throw new Error(`${service} was not packaged`);
  return structuredClone(stack.template);
};

const firstOfType = (template: CfnTemplate, type: string) => {
  const [found] = resourcesOfType(template, type);
  if (!found) throw new Error(`no ${type} in the template`);
  const [id, resource] = found;
  return { id, properties: resource.Properties as Record<string, unknown> };
};

describe('packaged templates against the CloudFormation specification', () => {
  it.each(SERVICES)(
    '%s: every resource type, property, required property, value shape and reference is valid',
    (service) => {
      // Act
      const problems = checkTemplateSchema(copyOf(service));

      // Assess
      expect(problems).toEqual([]);
    },
  );

  it('every Fn::ImportValue names an export of a stack deployed before it', () => {
    // Act
    const { problems, imports } = checkStackImports(stacks, resolveName);

    // Assess
    expect(problems).toEqual([]);
    const importers = new Set(imports.map((entry) => entry.stack));
    expect([...importers].sort()).toEqual(
      ['agent-invoker', 'chat-api', 'order-action-group', 'web'].map((s) => `tenant-assistant-${s}-${stage}`),
    );
  });

  it('finds a misspelt property at any depth, naming where it is', () => {
    // Prepare
    const template = copyOf('chat-api');
    const fn = firstOfType(template, 'AWS::Lambda::Function');
    (fn.properties.Environment as Record<string, unknown>).Variabels = { A: 'b' };
    const table = firstOfType(template, 'AWS::DynamoDB::Table');
    (table.properties.AttributeDefinitions as Record<string, unknown>[])[0] = {
      AttributeName: 'pk',
      AttributeTyp: 'S',
    };

    // Act
    const problems = checkTemplateSchema(template);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          at: `Resources.${fn.id}.Properties.Environment.Variabels`,
          message: 'Environment has no property Variabels (it has Variables)',
        },
        expect.objectContaining({
          at: `Resources.${table.id}.Properties.AttributeDefinitions[0].AttributeTyp`,
        }),
        {
          at: `Resources.${table.id}.Properties.AttributeDefinitions[0]`,
          message: 'required property AttributeType of AttributeDefinition is missing',
        },
      ]),
    );
  });

  it('finds a missing required property, a wrong value shape and an unknown resource type', () => {
    // Prepare
    const template = copyOf('order-action-group');
    const fn = firstOfType(template, 'AWS::Lambda::Function');
    delete fn.properties.Role;
    fn.properties.MemorySize = 'a lot';
    fn.properties.Layers = 'arn:aws:lambda:us-east-1:123456789012:layer:one:1';
    template.Resources.Extra = { Type: 'AWS::Lambda::Functions', Properties: {} };

    // Act
    const problems = checkTemplateSchema(template);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          at: `Resources.${fn.id}.Properties`,
          message: 'required property Role of AWS::Lambda::Function is missing',
        },
        { at: `Resources.${fn.id}.Properties.MemorySize`, message: 'expected a number, got string "a lot"' },
        expect.objectContaining({ at: `Resources.${fn.id}.Properties.Layers` }),
        {
          at: 'Resources.Extra',
          message: 'resource type AWS::Lambda::Functions does not exist in the CloudFormation specification',
        },
      ]),
    );
  });

  it('finds an attribute Fn::GetAtt or Fn::Sub asks of a resource that has none such, and a Ref to nothing', () => {
    // Prepare
    const template = copyOf('agent-invoker');
    const table = firstOfType(template, 'AWS::DynamoDB::Table');
    const fn = firstOfType(template, 'AWS::Lambda::Function');
    fn.properties.Description = { 'Fn::GetAtt': [table.id, 'TableArn'] };
    fn.properties.Handler = { 'Fn::Sub': `\${${table.id}.Name}` };
    fn.properties.KmsKeyArn = { Ref: 'NoSuchKey' };

    // Act
    const problems = checkTemplateSchema(template);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          at: `Resources.${fn.id}.Properties.Description`,
          message: `Fn::GetAtt "${table.id}.TableArn": AWS::DynamoDB::Table has no attribute TableArn (it has Arn, StreamArn)`,
        },
        expect.objectContaining({
          at: `Resources.${fn.id}.Properties.Handler`,
          message: expect.stringContaining('has no attribute Name'),
        }),
        {
          at: `Resources.${fn.id}.Properties.KmsKeyArn`,
          message: 'Ref "NoSuchKey" is neither a resource, a parameter nor a pseudo parameter',
        },
      ]),
    );
  });

  it('finds a dependency cycle', () => {
    // Prepare
    const template = copyOf('agent-invoker');
    const table = firstOfType(template, 'AWS::DynamoDB::Table');
    const fn = firstOfType(template, 'AWS::Lambda::Function');
    (template.Resources[table.id] as { DependsOn?: string[] }).DependsOn = [fn.id];

    // Act
    const problems = checkTemplateSchema(template);

    // Assess
    expect(problems).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^dependency cycle: .*→.*→/) }),
    ]);
  });

  it('finds an import no stack exports and an import of a stack deployed later', () => {
    // Prepare
    const copies = stacks.map((stack) => ({ ...stack, template: structuredClone(stack.template) }));
    const agentInvoker = copies[3] as StackTemplate;
    const fn = firstOfType(agentInvoker.template, 'AWS::Lambda::Function');
    fn.properties.Description = { 'Fn::ImportValue': `tenant-assistant-chat-api-${stage}-NoSuchOutput` };
    const auth = copies[0] as StackTemplate;
    const pool = firstOfType(auth.template, 'AWS::Cognito::UserPool');
    pool.properties.UserPoolName = { 'Fn::ImportValue': `tenant-assistant-chat-api-${stage}-EventBusName` };

    // Act
    const { problems } = checkStackImports(copies, resolveName);

    // Assess
    expect(problems).toEqual([
      {
        stack: `tenant-assistant-auth-${stage}`,
        at: `Resources.${pool.id}.Properties.UserPoolName`,
        message: `Fn::ImportValue tenant-assistant-chat-api-${stage}-EventBusName: exported by tenant-assistant-chat-api-${stage}, which deploys after tenant-assistant-auth-${stage}`,
      },
      {
        stack: `tenant-assistant-agent-invoker-${stage}`,
        at: `Resources.${fn.id}.Properties.Description`,
        message: `Fn::ImportValue tenant-assistant-chat-api-${stage}-NoSuchOutput: no stack exports it`,
      },
    ]);
  });
});

describe('physical names for the longest stage in the longest region', () => {
  it('packages with a stage and a region of the longest lengths the stage rule accepts', () => {
    // Assess
    expect([stage.length, stageProblem(stage)]).toEqual([STAGE_MAX_LENGTH, undefined]);
    expect([region.length, regionProblem(region)]).toEqual([REGION_MAX_LENGTH, undefined]);
  });

  it('gives every named resource and inline policy a name within its AWS limit', () => {
    // Act
    const all = stacks.map((stack) => physicalNames(stack, resolveName));

    // Assess
    expect(all.flatMap((entry) => entry.problems)).toEqual([]);
    const names = all.flatMap((entry) => entry.names);
    expect(overlongNames(names)).toEqual([]);
    expect(names.length).toBeGreaterThan(60);
  });

  it('names by ARN only roles a stack creates (the data-access role trusts the agent-invoker role by name)', () => {
    // Act
    const problems = roleNamesReferenced(stacks, resolveName, 'tenant-assistant-');

    // Assess
    expect(problems).toEqual([]);
  });

  it("keeps a tenant's orders table name within DynamoDB's 255 characters for the longest tenant id", () => {
    // Prepare
    const fn = resourcesOfType(copyOf('order-action-group'), 'AWS::Lambda::Function')
      .map(([, resource]) => resource.Properties?.Environment as { Variables?: Record<string, unknown> })
      .find((environment) => environment?.Variables?.ORDERS_TABLE_PREFIX !== undefined);
    const prefix = fn?.Variables?.ORDERS_TABLE_PREFIX as string;

    // Act
    const name = ordersTableName(prefix, `t${'x'.repeat(62)}`);

    // Assess
    expect(name.startsWith(`tenant-assistant-order-action-group-${stage}-orders-`)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(255);
  });

  it('finds a name over its limit', () => {
    // Prepare
    const template = copyOf('order-action-group');
    const fn = firstOfType(template, 'AWS::Lambda::Function');
    fn.properties.FunctionName = `tenant-assistant-order-action-group-${stage}-provisionTenantsAgain`;

    // Act
    const problems = overlongNames(physicalNames({ stack: 'copy', template }, resolveName).names);

    // Assess
    expect(problems).toEqual([
      {
        at: `Resources.${fn.id}.Properties.FunctionName`,
        message: `AWS::Lambda::Function name tenant-assistant-order-action-group-${stage}-provisionTenantsAgain is 68 characters, over AWS's 64`,
      },
    ]);
  });

  it('finds a role named by ARN that no stack creates', () => {
    // Prepare
    const copies = stacks.map((stack) => ({ ...stack, template: structuredClone(stack.template) }));
    const chatApi = copies[2] as StackTemplate;
    const fn = firstOfType(chatApi.template, 'AWS::Lambda::Function');
    fn.properties.Description = {
      'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/tenant-assistant-agent-invoker-${stage}`,
    };

    // Act
    const problems = roleNamesReferenced(copies, resolveName, 'tenant-assistant-');

    // Assess
    expect(problems).toEqual([
      {
        at: `${chatApi.stack}:Resources.${fn.id}.Properties.Description`,
        message: `names role tenant-assistant-agent-invoker-${stage}, which no stack creates`,
      },
    ]);
  });
});

describe('the stage rule at package time', () => {
  it('stops `serverless package` of a deployed stage without its web addresses, naming each missing one', async () => {
    // Act
    const packaging = packageService(join(servicesDir, 'auth'), {
      stage: 'dev',
      params: { callbackUrls: 'https://chat.example.com/' },
    });

    // Assess
    await expect(packaging).rejects.toThrow(
      /Stage "dev" cannot be packaged or deployed: --param logoutUrls=… is missing \(the web client's sign-out URLs \(comma-separated\)\); --param corsOrigins=… is missing .*; --param webOrigin=… is missing/,
    );
  });

  it('stops `serverless package` of a stage one character too long, with the reason', async () => {
    // Act
    const packaging = packageService(join(servicesDir, 'web'), { stage: 'production1' });

    // Assess
    await expect(packaging).rejects.toThrow(
      /Stage "production1" is not accepted: 1–10 characters, a lowercase letter first/,
    );
  });
});

describe('the deployment plan (scripts/deploy.sh, --dry-run)', () => {
  const options = { stage, region, webOrigin: 'https://chat.example.com' };
  const packaged = (copies: StackTemplate[]) => async (service: DeployedService) =>
    (copies.find((entry) => entry.stack === `tenant-assistant-${service}-${stage}`) as StackTemplate)
      .template;

  it('prints per service the parameters it passes and the stack each import comes from', async () => {
    // Act
    const plan = await planDeployment(options, packaged(stacks));

    // Assess
    const chatApi = plan.find((entry) => entry.service === 'chat-api');
    expect(chatApi?.params).toEqual(
      expect.arrayContaining([
        { name: 'webOrigin', value: 'https://chat.example.com', from: 'deploy' },
        {
          name: 'cognitoUserPoolId',
          value: `import tenant-assistant-auth-${stage}-UserPoolId`,
          from: 'default',
        },
        { name: 'tableDeletionPolicy', value: 'Delete', from: 'default' },
      ]),
    );
    expect(chatApi?.imports).toEqual(
      expect.arrayContaining([
        {
          name: `tenant-assistant-auth-${stage}-UserPoolId`,
          from: `tenant-assistant-auth-${stage}`,
          output: 'UserPoolId',
        },
      ]),
    );
    expect(plan.find((entry) => entry.service === 'auth')?.params).toEqual(
      expect.arrayContaining([
        { name: 'callbackUrls', value: 'https://chat.example.com/', from: 'deploy' },
        { name: 'corsOrigins', value: 'https://chat.example.com', from: 'deploy' },
      ]),
    );
    expect(plan.find((entry) => entry.service === 'web')?.imports.map((entry) => entry.from)).toEqual(
      expect.arrayContaining([`tenant-assistant-auth-${stage}`, `tenant-assistant-chat-api-${stage}`]),
    );
  });

  it('stops before deploying when an import has no exporter, and without a web origin', async () => {
    // Prepare
    const copies = stacks.map((entry) => ({ ...entry, template: structuredClone(entry.template) }));
    const web = copies[4] as StackTemplate;
    const bucket = firstOfType(web.template, 'AWS::S3::Bucket');
    bucket.properties.BucketName = { 'Fn::ImportValue': `tenant-assistant-chat-api-${stage}-WebBucketName` };

    // Act / Assess
    await expect(planDeployment(options, packaged(copies))).rejects.toThrow(
      `tenant-assistant-web-${stage} Resources.${bucket.id}.Properties.BucketName: Fn::ImportValue tenant-assistant-chat-api-${stage}-WebBucketName: no stack exports it`,
    );
    await expect(planDeployment({ ...options, webOrigin: '' }, packaged(stacks))).rejects.toThrow(
      /--web-origin is required/,
    );
  });
});
