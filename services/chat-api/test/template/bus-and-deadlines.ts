import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesOfType } from '@tenant-assistant/testing';
import { dev, prod, props, type Statement, serviceDir } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('chat-api template', () => {
  describe('event bus', () => {
    it('owns the data bus tenant-assistant-<stage>, with a resource policy binding entries to producers', () => {
      // Assess (the policy itself is judged by packages/dev-stack/test/bus-policies.test.ts)
      expect(props(dev, 'EventBus')).toMatchObject({ Name: 'tenant-assistant-dev' });
      expect(props(prod, 'EventBus')).toMatchObject({ Name: 'tenant-assistant-prod' });
      const statements = (props(dev, 'EventBus').Policy as { Statement: { Sid: string; Effect: string }[] })
        .Statement;
      expect(statements.map((statement) => statement.Effect)).toEqual(statements.map(() => 'Deny'));
      expect(statements.map((statement) => statement.Sid)).toEqual([
        'PromptSubmittedOnlyFromSubmitPrompt',
        'ChatApiSourceOnlyFromSubmitPrompt',
        'AnswerEventsOnlyFromAgentInvoker',
        'AgentInvokerSourceOnlyFromAgentInvoker',
        'NoControlSourceHere',
        'NoControlEventsHere',
      ]);
    });

    it('delivers only answer events from the agent-invoker to onAnswerEvent, with retries and a dead-letter queue', () => {
      // Act
      const rules = resourcesOfType(dev, 'AWS::Events::Rule')
        .filter(([logicalId]) => logicalId !== 'TenantOffboardedRule') // auth's bus (its own test)
        .map(([, rule]) => rule.Properties ?? {})
        .filter((rule) => rule.EventPattern !== undefined);

      // Assess
      expect(rules).toEqual([
        {
          Name: 'tenant-assistant-chat-api-dev-answer-events',
          EventBusName: { 'Fn::GetAtt': ['EventBus', 'Name'] },
          EventPattern: {
            source: ['tenant-assistant.agent-invoker'],
            'detail-type': ['AnswerChunk', 'AnswerCompleted', 'AnswerFailed'],
          },
          State: 'ENABLED',
          Targets: [
            {
              Arn: { 'Fn::GetAtt': ['OnAnswerEventLambdaFunction', 'Arn'] },
              Id: expect.any(String),
              RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['AnswerEventsDeadLetterQueue', 'Arn'] } },
            },
          ],
        },
      ]);
    });

    it('lets only that rule write to the dead-letter queue', () => {
      // Act
      const policy = props(dev, 'AnswerEventsDeadLetterQueuePolicy').PolicyDocument as {
        Statement: Statement[];
      };

      // Assess
      expect(policy.Statement).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: {
            ArnEquals: {
              'aws:SourceArn': {
                'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/tenant-assistant-dev/tenant-assistant-chat-api-dev-answer-events`,
              },
            },
          },
        }),
      ]);
    });
  });

  describe('answer deadline and sweeper', () => {
    it('fixes every answer deadline at submit from the stage parameter', () => {
      // Act
      const environment = (
        props(dev, 'SubmitPromptLambdaFunction').Environment as { Variables: Record<string, unknown> }
      ).Variables;

      // Assess
      expect(environment.ANSWER_DEADLINE_SECONDS).toBe('240');
    });

    it("derives the deadline from the agent-invoker's timeout: never shorter than one whole invocation", () => {
      // Prepare
      const agentInvoker = readFileSync(join(serviceDir, '..', 'agent-invoker', 'serverless.yml'), 'utf8');
      const timeout = Number(/invokeAgent:[\s\S]*?\n\s+timeout:\s*(\d+)/.exec(agentInvoker)?.[1]);
      const deadline = Number(
        (props(dev, 'SubmitPromptLambdaFunction').Environment as { Variables: Record<string, string> })
          .Variables.ANSWER_DEADLINE_SECONDS,
      );

      // Assess
      expect(timeout).toBeGreaterThan(0);
      expect(deadline).toBeGreaterThan(timeout);
    });

    it('runs the sweeper on a schedule, one at a time, without retries', () => {
      // Act
      const rules = resourcesOfType(dev, 'AWS::Events::Rule')
        .map(([, rule]) => rule.Properties ?? {})
        .filter((rule) => rule.ScheduleExpression !== undefined);

      // Assess
      expect(rules).toEqual([
        expect.objectContaining({
          ScheduleExpression: 'rate(1 minute)',
          State: 'ENABLED',
          Targets: [
            expect.objectContaining({ Arn: { 'Fn::GetAtt': ['SweepAnswersLambdaFunction', 'Arn'] } }),
          ],
        }),
      ]);
      expect(props(dev, 'SweepAnswersLambdaFunction').ReservedConcurrentExecutions).toBe(1);
      expect(
        resourcesOfType(dev, 'AWS::Lambda::EventInvokeConfig').some(
          ([, config]) =>
            (config.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref ===
              'SweepAnswersLambdaFunction' && config.Properties?.MaximumRetryAttempts === 0,
        ),
      ).toBe(true);
    });

    it('indexes open answers by deadline (sparse), for the sweeper only', () => {
      // Act
      const indexes = props(dev, 'AnswersTable').GlobalSecondaryIndexes;

      // Assess
      expect(indexes).toEqual([
        {
          IndexName: 'open-index',
          KeySchema: [
            { AttributeName: 'openShard', KeyType: 'HASH' },
            { AttributeName: 'deadlineAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['tenantId'] },
        },
      ]);
    });
  });
});
