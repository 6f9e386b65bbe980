import { describeDeadLetterAlarm } from '@tenant-assistant/testing';
import { importOf, only, props, roleOverride, statements, type Templates } from '../support/packaged';

/** The other stages and parameters, and the dead-letter alarm that only a stage with an alarm topic has. */
export const stageTests = (templates: Templates) => {
  describe('serverless package (other stages and parameters)', () => {
    test('reserves more concurrency in prod', () => {
      // Act / Assess
      expect(props(only(templates.prod, 'AWS::Lambda::Function')).ReservedConcurrentExecutions).toBe(50);
    });

    test('imports the prod stage’s outputs in prod', () => {
      // Act
      const env = props(only(templates.prod, 'AWS::Lambda::Function')).Environment.Variables;

      // Assess
      expect(env.AGENT_ID).toEqual(importOf('tenant-assistant-order-action-group-prod-AgentId'));
      expect(env.EVENT_BUS_NAME).toEqual(importOf('tenant-assistant-chat-api-prod-EventBusName'));
    });

    test('uses the local stack’s literal values in the local stage', () => {
      // Act
      const env = props(only(templates.local, 'AWS::Lambda::Function')).Environment.Variables;

      // Assess
      expect(env).toMatchObject({
        AGENT_ID: 'LOCALAGENT',
        AGENT_ALIAS_ID: 'LOCALALIAS',
        AGENT_ALIAS_IDS: 'standard=LOCALALIAS,premium=LOCALPREM1',
        USAGE_TABLE_NAME: 'tenant-assistant-chat-api-local-usage',
        EVENT_BUS_NAME: 'tenant-assistant-local',
        IDEMPOTENCY_TABLE_NAME: 'tenant-assistant-agent-invoker-local-idempotency',
        TENANT_DATA_ACCESS_ROLE_ARN:
          'arn:aws:iam::000000000000:role/tenant-assistant-order-action-group-local-data-access',
        TENANT_CONFIG_TABLE_ARN:
          'arn:aws:dynamodb:us-east-1:000000000000:table/tenant-assistant-order-action-group-local-tenant-config',
        ORDERS_TABLE_ARN_PREFIX:
          'arn:aws:dynamodb:us-east-1:000000000000:table/tenant-assistant-order-action-group-local-orders-',
      });
      expect(props(only(templates.local, 'AWS::Events::Rule')).EventBusName).toBe('tenant-assistant-local');
    });

    test('lets --param override a cross-service value and the streaming flag', () => {
      // Act
      const fn = props(only(templates.prod, 'AWS::Lambda::Function'));
      const assume = statements(templates.prod).find((s) => s.Sid === 'AssumeTenantDataAccessRole');

      // Assess
      expect(fn.Environment.Variables.TENANT_DATA_ACCESS_ROLE_ARN).toBe(roleOverride);
      expect(fn.Environment.Variables.STREAM_FINAL_RESPONSE).toBe('false');
      expect(assume?.Resource).toBe(roleOverride);
    });

    test('lets --param override the reserved concurrency', () => {
      // Act / Assess
      expect(props(only(templates.local, 'AWS::Lambda::Function')).ReservedConcurrentExecutions).toBe(3);
    });
  });

  describeDeadLetterAlarm(
    () => ({ without: templates.dev, with: templates.prod }),
    'InvokeAgentDeadLetterAlarm',
    'InvokeAgentDeadLetterQueue',
  );
};
