// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are compared verbatim
import {
  type CfnTemplate,
  describeDeadLetterAlarm,
  resourcesOfType,
  type PolicyStatement as Statement,
} from '@tenant-assistant/testing';
import { policyStatements, properties, service, type Templates } from './support';

/** Provisioning tenants: the TenantOnboarded subscription, the provisionTenant function and its dead-letter alarm. */
export const provisioningTests = (templates: Templates) => {
  describe('TenantOnboarded subscription', () => {
    it("routes TenantOnboarded from the auth service's control bus to provisionTenant with retries and a DLQ", () => {
      // Act
      const rule = properties(templates.dev, 'TenantOnboardedRule');

      // Assess
      expect(rule).toMatchObject({
        EventBusName: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-ControlEventBusArn' },
        EventPattern: {
          source: ['tenant-assistant.auth'],
          'detail-type': [
            'TenantOnboarded',
            'TenantUpdated',
            'TenantSuspended',
            'TenantResumed',
            'TenantOffboarded',
          ],
        },
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': ['ProvisionTenantLambdaFunction', 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 86400 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['ProvisionTenantDeadLetterQueue', 'Arn'] } },
          },
        ],
      });
      expect(properties(templates.prod, 'TenantOnboardedRule').EventBusName).toBe(
        'arn:aws:events:us-east-1:123456789012:event-bus/custom-control',
      );
      expect(properties(templates.local, 'TenantOnboardedRule').EventBusName).toBe(
        'arn:aws:events:us-east-1:000000000000:event-bus/tenant-assistant-control-local',
      );
    });

    it('lets only that rule invoke provisionTenant', () => {
      // Assess
      expect(properties(templates.dev, 'ProvisionTenantEventPermission')).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['ProvisionTenantLambdaFunction', 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['TenantOnboardedRule', 'Arn'] },
      });
    });

    it('retries failed invocations twice, then sends them to the dead-letter queue', () => {
      // Act
      const [[, config] = []] = resourcesOfType(templates.dev, 'AWS::Lambda::EventInvokeConfig');

      // Assess
      expect(config?.Properties).toMatchObject({
        FunctionName: { Ref: 'ProvisionTenantLambdaFunction' },
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['ProvisionTenantDeadLetterQueue', 'Arn'] } },
        },
      });
      expect(policyStatements(templates.dev, 'ProvisionTenantRole')).toContainEqual(
        expect.objectContaining({ Action: 'sqs:SendMessage' }),
      );
    });

    it('lets EventBridge write undeliverable events to the dead-letter queue only from this rule', () => {
      // Act
      const statements = properties<{ PolicyDocument: { Statement: Statement[] } }>(
        templates.dev,
        'ProvisionTenantDeadLetterQueuePolicy',
      ).PolicyDocument.Statement;

      // Assess
      expect(statements).toEqual([
        expect.objectContaining({
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['TenantOnboardedRule', 'Arn'] } } },
        }),
      ]);
    });
  });

  describe('provisionTenant function', () => {
    const envOf = (template: CfnTemplate) =>
      properties<{ Environment: { Variables: Record<string, unknown> } }>(
        template,
        'ProvisionTenantLambdaFunction',
      ).Environment.Variables;

    it("tells the function the orders tables' ARN prefix, the AWS owned key and no deletion protection outside prod", () => {
      // Act
      const env = envOf(templates.dev);

      // Assess
      expect(env).toMatchObject({
        ORDERS_TABLE_PREFIX: `${service}-dev-orders-`,
        ORDERS_TABLE_ARN_PREFIX: {
          'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${service}-dev-orders-`,
        },
        ORDERS_TABLE_KMS_KEY_ARN: '',
        ORDERS_TABLE_DELETION_PROTECTION: 'false',
      });
    });

    it('deletion-protects the orders tables in prod, where the stage keeps its data', () => {
      // Act
      const env = envOf(templates.prod);

      // Assess
      expect(env.ORDERS_TABLE_DELETION_PROTECTION).toBe('true');
    });

    it('gives the local stage a literal ARN prefix (the local system resolves no intrinsics in the environment)', () => {
      // Act
      const env = envOf(templates.local);

      // Assess
      expect(env.ORDERS_TABLE_ARN_PREFIX).toBe(
        `arn:aws:dynamodb:us-east-1:000000000000:table/${service}-local-orders-`,
      );
    });
  });

  describeDeadLetterAlarm(
    () => ({ without: templates.dev, with: templates.prod }),
    'ProvisionTenantDeadLetterAlarm',
    'ProvisionTenantDeadLetterQueue',
  );
};
