import { join } from 'node:path';
import { authorize, resolveIntrinsics, rolesFromCloudFormationTemplate } from '@tenant-assistant/local-stack';
import { type CfnTemplate, packageService, webAddressParams } from '@tenant-assistant/testing';

/**
 * The identity pool's authenticated role as packaged, judged with IAM's evaluation logic
 * (@cloud-copilot/iam-simulate): a principal tagged with tenant A reads and writes only A's prefix
 * of the tenant-files bucket, never B's, lists nothing, and without the tag gets nothing.
 */
jest.setTimeout(180_000);

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
const STACK = 'tenant-assistant-auth-dev';

let template: CfnTemplate;
let bucketArn: string;
let judge: (
  tags: Record<string, string>,
  action: string,
  resource: string,
  extra?: Record<string, string | string[]>,
) => Promise<boolean>;

beforeAll(async () => {
  template = await packageService(join(__dirname, '..'), { stage: 'dev', params: webAddressParams });
  const context = { accountId: ACCOUNT, region: REGION, stackName: STACK };
  const roles = rolesFromCloudFormationTemplate(template as never, context);
  const [roleArn, role] = Object.entries(roles).find(([arn]) => arn.endsWith('-AuthenticatedRole')) ?? [];
  if (!roleArn || !role) throw new Error('no AuthenticatedRole in the packaged template');
  bucketArn = String(
    resolveIntrinsics(
      { 'Fn::GetAtt': ['TenantFilesBucket', 'Arn'] },
      { ...context, template: template as never },
    ),
  );
  const bucketPolicy = resolveIntrinsics(
    template.Resources.TenantFilesBucketPolicy?.Properties?.PolicyDocument,
    {
      ...context,
      template: template as never,
    },
  );
  const roleName = roleArn.split('/').pop() as string;
  judge = async (tags, action, resource, extra = {}) => {
    const context: Record<string, string | string[]> = {
      'aws:PrincipalArn': roleArn,
      'aws:SecureTransport': 'true',
      ...extra,
    };
    for (const [key, value] of Object.entries(tags)) context[`aws:PrincipalTag/${key}`] = value;
    const decision = await authorize(
      {
        principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/CognitoIdentityCredentials`,
        action,
        resourceArn: resource,
        resourceAccountId: ACCOUNT,
        context,
      },
      { identityPolicies: role.policies, resourcePolicy: bucketPolicy as never },
    );
    return decision.allowed;
  };
});

describe('identity pool authenticated role', () => {
  const tenantA = { tenantId: 'tenant-a' };

  it.each(['s3:GetObject', 's3:PutObject'])('allows %s under the own tenant’s prefix', async (action) => {
    // Act / Assess
    expect(await judge(tenantA, action, `${bucketArn}/tenant-a/report.pdf`)).toBe(true);
    expect(await judge(tenantA, action, `${bucketArn}/tenant-a/deep/path/file.txt`)).toBe(true);
  });

  it.each(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'])(
    'denies %s under another tenant’s prefix, a prefix sharing its start, and the bucket root',
    async (action) => {
      // Act / Assess
      expect(await judge(tenantA, action, `${bucketArn}/tenant-b/report.pdf`)).toBe(false);
      expect(await judge(tenantA, action, `${bucketArn}/tenant-ab/report.pdf`)).toBe(false);
      expect(await judge(tenantA, action, `${bucketArn}/report.pdf`)).toBe(false);
    },
  );

  it('lists no prefix, not even its own', async () => {
    // Act / Assess
    for (const prefix of ['tenant-b/', 'tenant-a/', '']) {
      expect(await judge(tenantA, 's3:ListBucket', bucketArn, { 's3:prefix': prefix })).toBe(false);
    }
    expect(await judge(tenantA, 's3:ListBucketVersions', bucketArn)).toBe(false);
  });

  it('gives a principal without the tenantId tag nothing', async () => {
    // Act / Assess
    expect(await judge({}, 's3:GetObject', `${bucketArn}/tenant-a/report.pdf`)).toBe(false);
    expect(await judge({}, 's3:PutObject', `${bucketArn}//report.pdf`)).toBe(false);
    expect(await judge({ userId: 'someone' }, 's3:GetObject', `${bucketArn}/tenant-a/report.pdf`)).toBe(
      false,
    );
  });

  it('refuses its own prefix over plain HTTP (the bucket policy)', async () => {
    // Act / Assess
    expect(
      await judge(tenantA, 's3:GetObject', `${bucketArn}/tenant-a/report.pdf`, {
        'aws:SecureTransport': 'false',
      }),
    ).toBe(false);
  });
});
