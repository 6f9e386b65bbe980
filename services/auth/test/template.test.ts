import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { effectiveTemplate } from '@tenant-assistant/local-stack';
import {
  actionsOf,
  type CfnResource,
  type CfnTemplate,
  dependencyCycle,
  invokeLocalResponse,
  packageService,
  resourcesOfType,
  roleStatements,
  type PolicyStatement as Statement,
  webAddressParams,
} from '@tenant-assistant/testing';

const controlBusArnSub =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
  'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/tenant-assistant-control-dev';

const serviceDir = join(__dirname, '..');
const smsRoleArn = 'arn:aws:iam::123456789012:role/cognito-sms';

let dev: CfnTemplate;
let prod: CfnTemplate;
let local: CfnTemplate;
let custom: CfnTemplate;

beforeAll(async () => {
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
}, 600_000);

const only = (template: CfnTemplate, type: string): [string, CfnResource] => {
  const found = resourcesOfType(template, type);
  expect(found).toHaveLength(1);
  return found[0] as [string, CfnResource];
};
const props = (template: CfnTemplate, id: string): Record<string, unknown> => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`No resource ${id}`);
  return resource.Properties ?? {};
};
const pool = (template: CfnTemplate) => props(template, 'UserPool');
const client = (template: CfnTemplate, name: string) => {
  const found = resourcesOfType(template, 'AWS::Cognito::UserPoolClient').find(
    ([, resource]) => resource.Properties?.ClientName === name,
  );
  if (!found) throw new Error(`No client ${name}`);
  return found[1].Properties ?? {};
};
const functionEnv = (template: CfnTemplate, logicalId: string) =>
  (props(template, logicalId).Environment as { Variables: Record<string, unknown> }).Variables;

describe('user pool', () => {
  it('keeps the tenant in an immutable custom attribute of 1 to 64 characters', () => {
    // Prepare
    const schema = pool(dev).Schema as Record<string, unknown>[];

    // Act
    const tenant = schema.find((attribute) => attribute.Name === 'tenantId');

    // Assess
    expect(tenant).toEqual({
      Name: 'tenantId',
      AttributeDataType: 'String',
      Mutable: false,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
    });
  });

  it('signs in by username with a required, auto-verified email and verification messages', () => {
    // Act
    const properties = pool(dev);

    // Assess
    expect(properties.UsernameAttributes).toBeUndefined();
    expect(properties.AliasAttributes).toBeUndefined();
    expect(properties.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(properties.Schema).toContainEqual(expect.objectContaining({ Name: 'email', Required: true }));
    expect(properties.AutoVerifiedAttributes).toEqual(['email']);
    expect(properties.VerificationMessageTemplate).toEqual(
      expect.objectContaining({
        EmailSubject: expect.any(String),
        EmailMessage: expect.stringContaining('{####}'),
      }),
    );
  });

  it('allows only administrators to create users (no self sign-up)', () => {
    // Act / Assess
    for (const template of [dev, prod, local]) {
      expect(pool(template).AdminCreateUserConfig).toEqual(
        expect.objectContaining({ AllowAdminCreateUserOnly: true }),
      );
    }
  });

  it('recovers accounts by verified email only', () => {
    // Act / Assess
    expect(pool(dev).AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
  });

  it('requires 12 characters with upper, lower, digit and symbol and 3-day temporary passwords by default', () => {
    // Act / Assess
    for (const template of [dev, prod, local]) {
      expect(pool(template).Policies).toEqual({
        PasswordPolicy: {
          MinimumLength: '12',
          RequireUppercase: 'true',
          RequireLowercase: 'true',
          RequireNumbers: 'true',
          RequireSymbols: 'true',
          TemporaryPasswordValidityDays: '3',
        },
      });
    }
  });

  it('takes the password policy from stage parameters', () => {
    // Act / Assess
    expect(pool(custom).Policies).toEqual({
      PasswordPolicy: expect.objectContaining({
        MinimumLength: '16',
        RequireSymbols: 'false',
        TemporaryPasswordValidityDays: '1',
      }),
    });
  });

  it('gives createTenantUser the same password policy as the pool', () => {
    // Act / Assess
    for (const template of [dev, custom]) {
      const policy = (pool(template).Policies as { PasswordPolicy: Record<string, string> }).PasswordPolicy;

      const env = functionEnv(template, 'CreateTenantUserLambdaFunction');

      expect(env).toEqual(
        expect.objectContaining({
          PASSWORD_MINIMUM_LENGTH: policy.MinimumLength,
          PASSWORD_REQUIRE_UPPERCASE: policy.RequireUppercase,
          PASSWORD_REQUIRE_LOWERCASE: policy.RequireLowercase,
          PASSWORD_REQUIRE_NUMBERS: policy.RequireNumbers,
          PASSWORD_REQUIRE_SYMBOLS: policy.RequireSymbols,
          TEMPORARY_PASSWORD_VALIDITY_DAYS: policy.TemporaryPasswordValidityDays,
        }),
      );
    }
  });

  it('requires MFA in prod and makes it optional in dev and local, with TOTP enabled everywhere', () => {
    // Act / Assess
    expect(pool(prod).MfaConfiguration).toBe('ON');
    expect(pool(dev).MfaConfiguration).toBe('OPTIONAL');
    expect(pool(local).MfaConfiguration).toBe('OPTIONAL');
    for (const template of [dev, prod, local]) {
      expect(pool(template).EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    }
  });

  it('offers no SMS unless the stage supplies an SNS role', () => {
    // Act
    const properties = pool(dev);

    // Assess
    expect(properties.SmsConfiguration).toBeUndefined();
    expect(properties.SmsAuthenticationMessage).toBeUndefined();
    expect(properties.EnabledMfas).not.toContain('SMS_MFA');
  });

  it('enables SMS MFA, its configuration and its messages when the stage supplies an SNS role', () => {
    // Act
    const properties = pool(custom);

    // Assess
    expect(properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA', 'SMS_MFA']);
    expect(properties.SmsConfiguration).toEqual(
      expect.objectContaining({ SnsCallerArn: smsRoleArn, ExternalId: 'tenant-assistant-auth-dev' }),
    );
    expect(properties.SmsAuthenticationMessage).toContain('{####}');
    expect(properties.SmsVerificationMessage).toContain('{####}');
  });

  it('is protected from deletion and retained in prod only', () => {
    // Act / Assess
    expect(pool(prod).DeletionProtection).toBe('ACTIVE');
    expect(prod.Resources.UserPool?.DeletionPolicy).toBe('Retain');
    expect(pool(dev).DeletionProtection).toBe('INACTIVE');
    expect(dev.Resources.UserPool?.DeletionPolicy).toBe('Delete');
  });

  it('uses the feature plan that allows access-token customisation', () => {
    // Act / Assess
    expect(['ESSENTIALS', 'PLUS']).toContain(pool(dev).UserPoolTier);
  });

  it('calls preTokenGeneration with the V2 event, and lets Cognito invoke it from this pool only', () => {
    // Act
    const cognitoPermissions = resourcesOfType(dev, 'AWS::Lambda::Permission').filter(
      ([, resource]) => resource.Properties?.Principal === 'cognito-idp.amazonaws.com',
    );
    expect(cognitoPermissions).toHaveLength(1);
    const [, permission] = cognitoPermissions[0] as [string, CfnResource];

    // Assess
    expect(pool(dev).LambdaConfig).toEqual({
      PreTokenGenerationConfig: {
        LambdaArn: { 'Fn::GetAtt': ['PreTokenGenerationLambdaFunction', 'Arn'] },
        LambdaVersion: 'V2_0',
      },
    });
    expect(permission.Properties).toEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['PreTokenGenerationLambdaFunction', 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      }),
    );
  });
});

describe('app clients', () => {
  it('lets no client write the tenant attribute', () => {
    // Act / Assess
    for (const template of [dev, prod, local, custom]) {
      const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient');
      expect(clients.length).toBeGreaterThan(0);
      for (const [, resource] of clients) {
        // Without WriteAttributes a client may write every mutable attribute: it must be explicit.
        expect(Array.isArray(resource.Properties?.WriteAttributes)).toBe(true);
        expect(resource.Properties?.WriteAttributes).not.toContain('custom:tenantId');
      }
    }
  });

  it('makes the web client public with SRP and refresh flows, code grant and the openid scopes', () => {
    // Act
    const web = client(dev, 'web');

    // Assess
    expect(web.GenerateSecret).toBe(false);
    expect(web.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(web.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(web.AllowedOAuthFlows).toEqual(['code']);
    expect(web.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(web.PreventUserExistenceErrors).toBe('ENABLED');
    expect(web.EnableTokenRevocation).toBe(true);
    expect(web.ReadAttributes).toContain('custom:tenantId');
    expect(web).toEqual(
      expect.objectContaining({ AccessTokenValidity: 60, IdTokenValidity: 60, RefreshTokenValidity: 30 }),
    );
  });

  it('enables the username/password flow only in the local stage', () => {
    // Act / Assess
    expect(client(local, 'web').ExplicitAuthFlows).toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client(dev, 'web').ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client(prod, 'web').ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('takes callback and logout URLs from stage parameters', () => {
    // Act / Assess
    expect(client(custom, 'web').CallbackURLs).toEqual({
      'Fn::Split': [',', 'https://app.example.com/callback,http://localhost:5173/'],
    });
    expect(client(custom, 'web').LogoutURLs).toEqual({ 'Fn::Split': [',', 'https://app.example.com/'] });
  });

  it('makes the admin client confidential with the admin user-password flow only', () => {
    // Act
    const admin = client(dev, 'admin');

    // Assess
    expect(admin.GenerateSecret).toBe(true);
    expect(admin.ExplicitAuthFlows).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(admin.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(admin.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('gives the hosted UI a stage-specific domain prefix, overridable by a parameter', () => {
    // Act
    const [, domain] = only(dev, 'AWS::Cognito::UserPoolDomain');

    // Assess
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
    expect(domain.Properties?.Domain).toEqual({ 'Fn::Sub': 'tenant-assistant-dev-${AWS::AccountId}' });
    expect(only(prod, 'AWS::Cognito::UserPoolDomain')[1].Properties?.Domain).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      'Fn::Sub': 'tenant-assistant-prod-${AWS::AccountId}',
    });
    expect(only(custom, 'AWS::Cognito::UserPoolDomain')[1].Properties?.Domain).toBe('acme-assistant');
  });
});

describe('identity pool', () => {
  it('refuses unauthenticated identities and checks tokens server-side for the web client only', () => {
    // Act
    const [, identityPool] = only(dev, 'AWS::Cognito::IdentityPool');

    // Assess
    expect(identityPool.Properties?.AllowUnauthenticatedIdentities).toBe(false);
    expect(identityPool.Properties?.CognitoIdentityProviders).toEqual([
      {
        ClientId: { Ref: 'WebClient' },
        ProviderName: { 'Fn::GetAtt': ['UserPool', 'ProviderName'] },
        ServerSideTokenCheck: true,
      },
    ]);
  });

  it('attaches an authenticated role and no unauthenticated role', () => {
    // Act
    const [, attachment] = only(dev, 'AWS::Cognito::IdentityPoolRoleAttachment');

    // Assess
    expect(attachment.Properties?.Roles).toEqual({
      authenticated: { 'Fn::GetAtt': ['AuthenticatedRole', 'Arn'] },
    });
    expect(attachment.Properties?.RoleMappings).toBeUndefined();
  });

  it('maps custom:tenantId to the principal tag tenantId', () => {
    // Act
    const [, tags] = only(dev, 'AWS::Cognito::IdentityPoolPrincipalTag');

    // Assess
    expect(tags.Properties).toEqual({
      IdentityPoolId: { Ref: 'IdentityPool' },
      IdentityProviderName: { 'Fn::GetAtt': ['UserPool', 'ProviderName'] },
      UseDefaults: false,
      PrincipalTags: { tenantId: 'custom:tenantId' },
    });
  });

  it('lets only authenticated identities of this identity pool assume the authenticated role', () => {
    // Act
    const trust = props(dev, 'AuthenticatedRole').AssumeRolePolicyDocument as { Statement: Statement[] };

    // Assess
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: 'IdentityPool' } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ]);
  });

  it("grants the authenticated role only GetObject/PutObject under its tenant's prefix of the tenant-files bucket", () => {
    // Prepare
    const statements = roleStatements(dev.Resources.AuthenticatedRole as CfnResource);

    // Act
    // In Fn::Sub, `${!x}` renders as the literal `${x}`: the IAM policy variable ${aws:PrincipalTag/tenantId}.

    // Assess
    expect(statements).toEqual([
      {
        Sid: 'OwnTenantFiles',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
        Resource: { 'Fn::Sub': '${TenantFilesBucket.Arn}/${!aws:PrincipalTag/tenantId}/*' },
      },
    ]);
    expect(props(dev, 'AuthenticatedRole').ManagedPolicyArns).toBeUndefined();
  });
});

describe('tenant-files bucket', () => {
  it('is private, encrypted, owner-enforced and reachable over TLS only', () => {
    // Act
    const bucket = props(dev, 'TenantFilesBucket');
    const policy = props(dev, 'TenantFilesBucketPolicy').PolicyDocument as { Statement: Statement[] };

    // Assess
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        expect.objectContaining({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }),
      ],
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
    expect(policy.Statement.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });

  it('is retained in prod', () => {
    // Act / Assess
    expect(prod.Resources.TenantFilesBucket?.DeletionPolicy).toBe('Retain');
  });
});

describe('function roles', () => {
  const roleOf = (template: CfnTemplate, functionId: string) => {
    const role = props(template, functionId).Role as { 'Fn::GetAtt': [string, string] };
    return template.Resources[role['Fn::GetAtt'][0]] as CfnResource;
  };
  const logStatement = (name: string) => ({
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: {
      'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/tenant-assistant-auth-dev-${name}:*`,
    },
  });

  it('gives every function its own role and creates no shared one', () => {
    // Prepare
    const roles = [
      'PreTokenGeneration',
      'OnboardTenant',
      'CreateTenantUser',
      'AdminMe',
      'TenantsAdmin',
      'UsersAdmin',
    ].map(
      (name) => (props(dev, `${name}LambdaFunction`).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0],
    );

    // Act / Assess
    expect(new Set(roles).size).toBe(6);
    expect(dev.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  const registryStatement = (sid: string, action: string | string[]) => ({
    Sid: sid,
    Effect: 'Allow',
    Action: action,
    Resource: { 'Fn::GetAtt': ['TenantsTable', 'Arn'] },
  });

  it('lets preTokenGeneration read one tenant registry item and write its own logs, nothing else', () => {
    // Act / Assess
    expect(roleStatements(roleOf(dev, 'PreTokenGenerationLambdaFunction'))).toEqual([
      logStatement('preTokenGeneration'),
      registryStatement('ReadTenantStatus', 'dynamodb:GetItem'),
    ]);
  });

  it('lets adminMe read the groups of users of this pool only', () => {
    // Act / Assess
    expect(roleStatements(roleOf(dev, 'AdminMeLambdaFunction'))).toEqual([
      logStatement('adminMe'),
      {
        Sid: 'CallerGroups',
        Effect: 'Allow',
        Action: 'cognito-idp:AdminListGroupsForUser',
        Resource: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      },
    ]);
  });

  it('lets tenantsAdmin manage the registry, the groups and first admins, offboard a tenant’s users and files, and publish only tenant lifecycle events', () => {
    // Act / Assess
    expect(roleStatements(roleOf(dev, 'TenantsAdminLambdaFunction'))).toEqual([
      logStatement('tenantsAdmin'),
      registryStatement('TenantRegistry', [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:Scan',
      ]),
      {
        Sid: 'TenantGroupsAndFirstAdmin',
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminListGroupsForUser',
          'cognito-idp:GetGroup',
          'cognito-idp:CreateGroup',
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminDeleteUser',
        ],
        Resource: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      },
      {
        Sid: 'OffboardTenantUsersAndGroups',
        Effect: 'Allow',
        Action: [
          'cognito-idp:ListUsersInGroup',
          'cognito-idp:AdminUserGlobalSignOut',
          'cognito-idp:DeleteGroup',
        ],
        Resource: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      },
      {
        Sid: 'OffboardTenantFilesList',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': ['TenantFilesBucket', 'Arn'] },
      },
      {
        Sid: 'OffboardTenantFilesDelete',
        Effect: 'Allow',
        Action: 's3:DeleteObject',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
        Resource: { 'Fn::Sub': '${TenantFilesBucket.Arn}/*' },
      },
      {
        Sid: 'PublishTenantLifecycle',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { 'Fn::Sub': controlBusArnSub },
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['tenant-assistant.auth'],
            'events:detail-type': [
              'TenantOnboarded',
              'TenantUpdated',
              'TenantSuspended',
              'TenantResumed',
              'TenantOffboarded',
            ],
          },
        },
      },
    ]);
  });

  it('lets offboardingReports read and write the registry only, and invokes it only for the two reports', () => {
    // Act
    const statements = roleStatements(roleOf(dev, 'OffboardingReportsLambdaFunction'));
    const [, rule] =
      resourcesOfType(dev, 'AWS::Events::Rule').find(([id]) => id === 'OffboardingReportsRule') ?? [];

    // Assess
    expect(statements).toEqual([
      logStatement('offboardingReports'),
      registryStatement('TenantRegistry', ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem']),
      {
        Sid: 'DeadLetter',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': ['OffboardingReportsDeadLetterQueue', 'Arn'] },
      },
    ]);
    expect(rule?.Properties?.EventPattern).toEqual({
      source: ['tenant-assistant.chat-api', 'tenant-assistant.order-action-group'],
      'detail-type': ['TenantChatDataDeleted', 'TenantOrderDataDeleted'],
    });
    expect(rule?.Properties?.EventBusName).toEqual({ 'Fn::GetAtt': ['ControlEventBus', 'Name'] });
  });

  it('lets usersAdmin manage users and groups of this pool only, and nothing else (no registry, no bus)', () => {
    // Act
    const statements = roleStatements(roleOf(dev, 'UsersAdminLambdaFunction'));

    // Assess
    expect(statements).toHaveLength(2);
    expect(statements[0]).toEqual(logStatement('usersAdmin'));
    expect(statements[1]).toMatchObject({
      Sid: 'TenantUsers',
      Resource: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
    });
    expect(actionsOf(statements[1] as Statement).sort()).toEqual(
      [
        'cognito-idp:AdminListGroupsForUser',
        'cognito-idp:AdminGetUser',
        'cognito-idp:ListUsersInGroup',
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminAddUserToGroup',
        'cognito-idp:AdminRemoveUserFromGroup',
        'cognito-idp:AdminDeleteUser',
        'cognito-idp:AdminDisableUser',
        'cognito-idp:AdminEnableUser',
        'cognito-idp:AdminSetUserMFAPreference',
      ].sort(),
    );
  });

  it('keeps the tenant registry encrypted with point-in-time recovery, retained in prod', () => {
    // Act
    const table = props(dev, 'TenantsTable');

    // Assess
    expect(table.TableName).toBe('tenant-assistant-auth-dev-tenants');
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
    expect(prod.Resources.TenantsTable?.DeletionPolicy).toBe('Retain');
    expect(dev.Resources.TenantsTable?.DeletionPolicy).toBe('Delete');
  });

  it('serves every admin route behind the Cognito JWT authorizer of the web client', () => {
    // Act / Assess
    const routes = resourcesOfType(dev, 'AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties ?? {},
    );
    expect(routes.map((route) => route.RouteKey).sort()).toEqual(
      [
        'GET /admin/me',
        'GET /admin/tenants',
        'POST /admin/tenants',
        'GET /admin/tenants/{tenantId}',
        'PATCH /admin/tenants/{tenantId}',
        'POST /admin/tenants/{tenantId}/suspend',
        'POST /admin/tenants/{tenantId}/resume',
        'POST /admin/tenants/{tenantId}/offboard',
        'GET /admin/users',
        'POST /admin/users',
        'GET /admin/users/{username}',
        'DELETE /admin/users/{username}',
        'POST /admin/users/{username}/resend-invitation',
        'POST /admin/users/{username}/disable',
        'POST /admin/users/{username}/enable',
        'POST /admin/users/{username}/reset-mfa',
        'POST /admin/users/{username}/roles',
        'DELETE /admin/users/{username}/roles/{role}',
      ].sort(),
    );
    for (const route of routes) expect(route.AuthorizationType).toBe('JWT');
    const [, authorizer] = only(dev, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties?.JwtConfiguration).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      Issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}' },
      Audience: [{ Ref: 'WebClient' }],
    });
  });

  it('lets onboardTenant read and create groups of this pool and publish only TenantOnboarded from auth', () => {
    // Act / Assess
    expect(roleStatements(roleOf(dev, 'OnboardTenantLambdaFunction'))).toEqual([
      logStatement('onboardTenant'),
      {
        Sid: 'TenantGroups',
        Effect: 'Allow',
        Action: ['cognito-idp:GetGroup', 'cognito-idp:CreateGroup'],
        Resource: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      },
      registryStatement('TenantRegistry', ['dynamodb:GetItem', 'dynamodb:PutItem']),
      {
        Sid: 'PublishTenantOnboarded',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { 'Fn::Sub': controlBusArnSub },
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['tenant-assistant.auth'],
            'events:detail-type': ['TenantOnboarded'],
          },
        },
      },
    ]);
  });

  it('lets createTenantUser create, group and delete users of this pool only', () => {
    // Act / Assess
    expect(roleStatements(roleOf(dev, 'CreateTenantUserLambdaFunction'))).toEqual([
      logStatement('createTenantUser'),
      {
        Sid: 'TenantUsers',
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminDeleteUser',
        ],
        Resource: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      },
      registryStatement('ReadTenantRegistry', 'dynamodb:GetItem'),
    ]);
  });

  it('grants no wildcard action or resource in any role', () => {
    // Act / Assess
    for (const [, role] of resourcesOfType(dev, 'AWS::IAM::Role')) {
      for (const statement of roleStatements(role)) {
        expect(actionsOf(statement).filter((action) => action.includes('*'))).toEqual([]);
        expect([statement.Resource].flat()).not.toContain('*');
      }
    }
  });
});

describe('functions', () => {
  it('point the control-plane functions at this stack’s pool in AWS stages and at cognito-local in local', () => {
    // Act / Assess
    for (const id of ['OnboardTenantLambdaFunction', 'CreateTenantUserLambdaFunction']) {
      expect(functionEnv(dev, id).COGNITO_USER_POOL_ID).toEqual({ Ref: 'UserPool' });
      expect(functionEnv(prod, id).COGNITO_USER_POOL_ID).toEqual({ Ref: 'UserPool' });
      expect(functionEnv(local, id).COGNITO_USER_POOL_ID).toBe('us-east-1_LocalDev1');
    }
  });

  it('publishes TenantOnboarded on the control-plane bus this service owns', () => {
    // Act
    const [, bus] = only(dev, 'AWS::Events::EventBus');

    // Assess
    expect(bus.Properties?.Name).toBe('tenant-assistant-control-dev');
    expect(functionEnv(dev, 'OnboardTenantLambdaFunction').EVENT_BUS_NAME).toBe(
      'tenant-assistant-control-dev',
    );
    expect(functionEnv(local, 'OnboardTenantLambdaFunction').EVENT_BUS_NAME).toBe(
      'tenant-assistant-control-local',
    );
  });

  it('run on nodejs22.x', () => {
    // Act / Assess
    for (const [, fn] of resourcesOfType(dev, 'AWS::Lambda::Function')) {
      expect(fn.Properties?.Runtime).toBe('nodejs22.x');
    }
  });
});

describe('outputs', () => {
  const keys = [
    'UserPoolId',
    'UserPoolArn',
    'WebClientId',
    'AdminClientId',
    'IssuerUrl',
    'JwksUrl',
    'HostedUiDomain',
    'IdentityPoolId',
    'AuthenticatedRoleArn',
    'TenantFilesBucketName',
    'TenantFilesBucketArn',
    'ControlEventBusName',
    'ControlEventBusArn',
    'AdminApiUrl',
    'TenantsTableName',
    'TenantsTableArn',
    'OffboardingReportsDeadLetterQueueName',
  ];

  it.each(keys)('exports %s under the name tenant-assistant-auth-<stage>-<key>', (key) => {
    // Act / Assess
    expect(dev.Outputs?.[key]?.Export?.Name).toBe(`tenant-assistant-auth-dev-${key}`);
    expect(prod.Outputs?.[key]?.Export?.Name).toBe(`tenant-assistant-auth-prod-${key}`);
  });

  it('builds the issuer and JWKS URLs from the pool', () => {
    // Act / Assess
    expect(dev.Outputs?.IssuerUrl?.Value).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}',
    });
    expect(dev.Outputs?.JwksUrl?.Value).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}/.well-known/jwks.json',
    });
  });

  it('never outputs a client secret', () => {
    // Act / Assess
    expect(JSON.stringify(dev.Outputs)).not.toMatch(/ClientSecret/);
  });
});

describe('template', () => {
  it('has no dependency cycle in any stage', () => {
    // Act / Assess
    for (const template of [dev, prod, local, custom]) expect(dependencyCycle(template)).toBeUndefined();
  });
});

describe('serverless invoke local', () => {
  it('runs preTokenGeneration on the sample event offline and prints the added claims', async () => {
    // Prepare
    // A stand-in for the tenant registry's GetItem (the trigger asks whether tenant1 is active).
    const registry = createServer((request, response) => {
      request.resume();
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      response.end(
        JSON.stringify({
          Item: { tenantId: { S: 'tenant1' }, status: { S: 'ACTIVE' }, name: { S: 'Tenant One' } },
        }),
      );
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
    };
    for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[name];

    // After the packaging above, never concurrently with it: both use the service's .esbuild folder.
    const { stdout } = await promisify(execFile)(
      join(serviceDir, 'node_modules', '.bin', 'serverless'),
      [
        'invoke',
        'local',
        '-f',
        'preTokenGeneration',
        '-p',
        'events/pre-token-generation.json',
        ...Object.entries(webAddressParams).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
      ],
      { cwd: serviceDir, env, timeout: 60_000 },
    ).finally(() => registry.close());

    // Act
    const printed = invokeLocalResponse(stdout) as {
      response: { claimsAndScopeOverrideDetails: Record<string, unknown> };
    };
    const claims = { claimsToAddOrOverride: { tenantId: 'tenant1', tenantRole: 'tenant-tenant1' } };

    // Assess
    expect(printed.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: claims,
      accessTokenGeneration: claims,
    });
  }, 60_000);
});
