// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are compared verbatim
import {
  actionsOf,
  type CfnTemplate,
  resourceOf as resource,
  resourcesOfType,
} from '@tenant-assistant/testing';
import { policyStatements, properties, type Role, service, type Templates } from './support';

/** The tenant data: the TenantConfig table, the tenant data-access role and the functions' own roles. */
export const dataTests = (templates: Templates) => {
  describe('TenantConfig table', () => {
    it('is keyed by tenantId with point-in-time recovery and encryption on', () => {
      // Assess
      expect(properties(templates.dev, 'TenantConfigTable')).toMatchObject({
        TableName: `${service}-dev-tenant-config`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'tenantId', AttributeType: 'S' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('is retained on removal in prod only', () => {
      // Assess
      expect(resource(templates.prod, 'TenantConfigTable').DeletionPolicy).toBe('Retain');
      expect(resource(templates.dev, 'TenantConfigTable').DeletionPolicy).toBe('Delete');
    });

    it('is the only table of the stack: orders tables are created per tenant at run time', () => {
      // Assess
      expect(resourcesOfType(templates.dev, 'AWS::DynamoDB::Table').map(([id]) => id)).toEqual([
        'TenantConfigTable',
      ]);
    });
  });

  describe('TenantDataAccessRole', () => {
    const trust = (template: CfnTemplate) =>
      properties<Role>(template, 'TenantDataAccessRole').AssumeRolePolicyDocument;

    it('is trusted only by the agent-invoker role, with both tenantId and userId session tags', () => {
      // Act
      const statements = trust(templates.dev).Statement;

      // Assess
      expect(statements).toHaveLength(1);
      expect(statements[0]).toEqual({
        Sid: 'AgentInvokerWithTenantAndUserTags',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn': {
              'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/tenant-assistant-agent-invoker-dev-\${AWS::Region}`,
            },
          },
          StringLike: {
            'aws:RequestTag/tenantId': '??*',
            'aws:RequestTag/userId': '????????-????-????-????-????????????',
          },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId', 'userId'] },
        },
      });
    });

    it('takes the agent-invoker role ARN from a stage parameter', () => {
      // Assess
      expect(trust(templates.prod).Statement[0]?.Condition?.ArnEquals).toEqual({
        'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/custom-agent-invoker',
      });
      expect(trust(templates.local).Statement[0]?.Condition?.ArnEquals).toEqual({
        'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/tenant-assistant-agent-invoker-local-us-east-1',
      });
    });

    it('allows only GetItem and Query, keyed by the principal tags, on TenantConfig and the tenant orders table', () => {
      // Act
      const statements = policyStatements(templates.dev, 'TenantDataAccessRole');

      // Assess
      const leadingKeys = (tag: string) => ({
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': [{ 'Fn::Sub': `\${!aws:PrincipalTag/${tag}}` }],
        },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      });
      expect(statements).toEqual([
        {
          Sid: 'ReadOwnTenantConfig',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: {
            'Fn::Sub':
              'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TenantConfigTable}',
          },
          Condition: leadingKeys('tenantId'),
        },
        {
          Sid: 'ReadOwnOrders',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: {
            'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${service}-dev-orders-\${!aws:PrincipalTag/tenantId}`,
          },
          Condition: leadingKeys('userId'),
        },
      ]);
      expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
    });

    it('has no managed policies, no wildcard actions and a one-hour session limit', () => {
      // Act
      const role = properties(templates.dev, 'TenantDataAccessRole');

      // Assess
      expect(role).not.toHaveProperty('ManagedPolicyArns');
      expect(role.MaxSessionDuration).toBe(3600);
      expect(role.RoleName).toBe(`${service}-dev-data-access`);
      expect(
        actionsOf(policyStatements(templates.dev, 'TenantDataAccessRole')).some((a) => a.includes('*')),
      ).toBe(false);
    });
  });

  describe('function roles', () => {
    it('give the action-group Lambda no data access of its own (logs only)', () => {
      // Prepare
      const fn = properties(templates.dev, 'ActionGroupLambdaFunction');

      // Act
      const actions = actionsOf(policyStatements(templates.dev, 'ActionGroupRole'));

      // Assess
      expect(fn.Role).toEqual({ 'Fn::GetAtt': ['ActionGroupRole', 'Arn'] });
      expect(properties(templates.dev, 'ActionGroupRole')).not.toHaveProperty('ManagedPolicyArns');
      expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    });

    it('let provisionTenant create, describe, tag, back up and delete only orders tables, write only TenantConfig and publish only its offboarding report', () => {
      // Act
      const statements = policyStatements(templates.dev, 'ProvisionTenantRole');

      // Assess
      expect(properties(templates.dev, 'ProvisionTenantLambdaFunction').Role).toEqual({
        'Fn::GetAtt': ['ProvisionTenantRole', 'Arn'],
      });
      const dynamodb = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(dynamodb).toEqual([
        {
          Sid: 'CreateOrdersTables',
          Effect: 'Allow',
          Action: [
            'dynamodb:CreateTable',
            'dynamodb:DescribeTable',
            'dynamodb:TagResource',
            'dynamodb:UpdateContinuousBackups',
          ],
          Resource: {
            'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${service}-dev-orders-*`,
          },
        },
        {
          Sid: 'DeleteOrdersTables',
          Effect: 'Allow',
          Action: ['dynamodb:UpdateTable', 'dynamodb:DeleteTable'],
          Resource: {
            'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${service}-dev-orders-*`,
          },
        },
        {
          Sid: 'WriteTenantConfig',
          Effect: 'Allow',
          Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Resource: { 'Fn::GetAtt': ['TenantConfigTable', 'Arn'] },
        },
      ]);
      expect(statements.find((s) => s.Sid === 'PublishOffboardingReport')).toEqual({
        Sid: 'PublishOffboardingReport',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-ControlEventBusArn' },
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['tenant-assistant.order-action-group'],
            'events:detail-type': ['TenantOrderDataDeleted'],
          },
        },
      });
      expect(properties(templates.dev, 'ProvisionTenantRole').RoleName).toBe(
        `${service}-dev-provisionTenant`,
      );
    });

    it('use no shared framework role', () => {
      // Assess
      expect(templates.dev.Resources).not.toHaveProperty('IamRoleLambdaExecution');
    });
  });
};
