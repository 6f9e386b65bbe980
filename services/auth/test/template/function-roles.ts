import {
  actionsOf,
  type CfnResource,
  type CfnTemplate,
  resourcesOfType,
  roleStatements,
  type PolicyStatement as Statement,
} from '@tenant-assistant/testing';
import { controlBusArnSub, dev, only, prod, props } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
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
  const publishStatement = (sid: string, detailTypes: string[]) => ({
    Sid: sid,
    Effect: 'Allow',
    Action: 'events:PutEvents',
    Resource: { 'Fn::Sub': controlBusArnSub },
    Condition: {
      'ForAllValues:StringEquals': {
        'events:source': ['tenant-assistant.auth'],
        'events:detail-type': detailTypes,
      },
    },
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
      publishStatement('PublishTenantLifecycle', [
        'TenantOnboarded',
        'TenantUpdated',
        'TenantSuspended',
        'TenantResumed',
        'TenantOffboarded',
      ]),
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
      publishStatement('PublishTenantOnboarded', ['TenantOnboarded']),
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
