import { actionsOf, importOf, only, props, statements, type Templates } from '../support/packaged';

/** The dev stage: the subscription, its dead-letter queue, configuration, least privilege, outputs, the failure-rate alarm and the dashboard. */
export const devStageTests = (templates: Templates) => {
  describe('serverless package (dev)', () => {
    test('subscribes invokeAgent to PromptSubmitted from chat-api on chat-api’s bus', () => {
      // Act
      const rule = props(only(templates.dev, 'AWS::Events::Rule'));

      // Assess
      expect(rule.EventBusName).toEqual(importOf('tenant-assistant-chat-api-dev-EventBusName'));
      expect(rule.EventPattern).toEqual({
        source: ['tenant-assistant.chat-api'],
        'detail-type': ['PromptSubmitted'],
      });
      expect(rule.Name).toBe('tenant-assistant-agent-invoker-dev-prompt-submitted');
      expect(rule.Targets).toHaveLength(1);
      expect(rule.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['InvokeAgentLambdaFunction', 'Arn'] });
    });

    test('gives the rule target a retry policy and an SQS dead-letter queue', () => {
      // Act
      const [target] = props(only(templates.dev, 'AWS::Events::Rule')).Targets;

      // Assess
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 8 });
      expect(target.DeadLetterConfig).toEqual({
        Arn: { 'Fn::GetAtt': ['InvokeAgentDeadLetterQueue', 'Arn'] },
      });
      expect(props(only(templates.dev, 'AWS::SQS::Queue')).QueueName).toBe(
        'tenant-assistant-agent-invoker-dev-invoke-agent-dlq',
      );
    });

    test('lets only EventBridge, from this rule only, send to the dead-letter queue', () => {
      // Act
      const policy = props(only(templates.dev, 'AWS::SQS::QueuePolicy'));

      // Assess
      expect(policy.Queues).toEqual([{ Ref: 'InvokeAgentDeadLetterQueue' }]);
      expect(policy.PolicyDocument.Statement).toEqual([
        {
          Sid: 'PromptRuleDeadLetters',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': ['InvokeAgentDeadLetterQueue', 'Arn'] },
          Condition: {
            ArnEquals: {
              'aws:SourceArn': {
                'Fn::Sub': [
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
                  'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${EventBusName}/tenant-assistant-agent-invoker-dev-prompt-submitted',
                  { EventBusName: importOf('tenant-assistant-chat-api-dev-EventBusName') },
                ],
              },
            },
          },
        },
      ]);
    });

    test('lets EventBridge invoke the function from the rule’s ARN on the bus', () => {
      // Act
      const permission = props(only(templates.dev, 'AWS::Lambda::Permission'));

      // Assess
      expect(permission.Principal).toBe('events.amazonaws.com');
      expect(JSON.stringify(permission.SourceArn)).toContain(
        JSON.stringify([
          'rule',
          importOf('tenant-assistant-chat-api-dev-EventBusName'),
          'tenant-assistant-agent-invoker-dev-prompt-submitted',
        ]),
      );
    });

    test('sends events that fail after Lambda’s own retries to the dead-letter queue', () => {
      // Act
      const config = props(only(templates.dev, 'AWS::Lambda::EventInvokeConfig'));

      // Assess
      expect(config.MaximumRetryAttempts).toBe(2);
      expect(config.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': ['InvokeAgentDeadLetterQueue', 'Arn'] } },
      });
    });

    test('configures the function from stage parameters, with reserved concurrency', () => {
      // Act
      const fn = props(only(templates.dev, 'AWS::Lambda::Function'));

      // Assess
      expect(fn.Runtime).toBe('nodejs22.x');
      expect(fn.Timeout).toBe(180);
      expect(fn.ReservedConcurrentExecutions).toBe(10);
      expect(fn.Environment.Variables).toMatchObject({
        AGENT_ID: importOf('tenant-assistant-order-action-group-dev-AgentId'),
        AGENT_ALIAS_ID: importOf('tenant-assistant-order-action-group-dev-AgentAliasId'),
        EVENT_BUS_NAME: importOf('tenant-assistant-chat-api-dev-EventBusName'),
        IDEMPOTENCY_TABLE_NAME: 'tenant-assistant-agent-invoker-dev-idempotency',
        TENANT_DATA_ACCESS_ROLE_ARN: importOf(
          'tenant-assistant-order-action-group-dev-TenantDataAccessRoleArn',
        ),
        TENANT_CONFIG_TABLE_ARN: importOf('tenant-assistant-order-action-group-dev-TenantConfigTableArn'),
        // The prefix order-action-group exports, never restated here.
        ORDERS_TABLE_ARN_PREFIX: importOf('tenant-assistant-order-action-group-dev-OrdersTableArnPrefix'),
        STREAM_FINAL_RESPONSE: 'true',
        USAGE_TABLE_NAME: importOf('tenant-assistant-chat-api-dev-UsageTableName'),
      });
    });

    test('owns an idempotency table keyed by id with expiring records', () => {
      // Act
      const table = props(only(templates.dev, 'AWS::DynamoDB::Table'));

      // Assess
      expect(table.TableName).toBe('tenant-assistant-agent-invoker-dev-idempotency');
      expect(table.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
      expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
    });

    test('keeps the role name that TenantDataAccessRole trusts', () => {
      // Act
      const role = props(only(templates.dev, 'AWS::IAM::Role'));

      // Assess
      expect(role.RoleName).toBe('tenant-assistant-agent-invoker-dev-us-east-1');
    });

    test('grants least privilege: the data-access role, one user look-up in the pool, the agent alias, the bus and its own table only', () => {
      // Act
      const granted = statements(templates.dev).filter(
        (s) => !actionsOf(s).every((a) => a.startsWith('logs:')),
      );

      // Assess
      expect(granted).toEqual([
        {
          Sid: 'AssumeTenantDataAccessRole',
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Resource: importOf('tenant-assistant-order-action-group-dev-TenantDataAccessRoleArn'),
        },
        {
          Sid: 'VerifyTenantMembership',
          Effect: 'Allow',
          Action: ['cognito-idp:AdminGetUser'],
          Resource: importOf('tenant-assistant-auth-dev-UserPoolArn'),
        },
        {
          Sid: 'InvokeConfiguredAgentAliases',
          Effect: 'Allow',
          Action: ['bedrock:InvokeAgent'],
          // the standard and the premium tiers' aliases (the same one unless premiumAgentAliasId is set)
          Resource: [1, 2].map(() => ({
            'Fn::Sub': [
              // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
              'arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:agent-alias/${AgentId}/${AgentAliasId}',
              {
                AgentId: importOf('tenant-assistant-order-action-group-dev-AgentId'),
                AgentAliasId: importOf('tenant-assistant-order-action-group-dev-AgentAliasId'),
              },
            ],
          })),
        },
        {
          Sid: 'MeterTokenUsage',
          Effect: 'Allow',
          Action: ['dynamodb:UpdateItem', 'dynamodb:PutItem'],
          Resource: importOf('tenant-assistant-chat-api-dev-UsageTableArn'),
        },
        {
          Sid: 'PublishAnswers',
          Effect: 'Allow',
          Action: ['events:PutEvents'],
          Resource: importOf('tenant-assistant-chat-api-dev-EventBusArn'),
          Condition: {
            'ForAllValues:StringEquals': {
              'events:source': ['tenant-assistant.agent-invoker'],
              'events:detail-type': ['AnswerChunk', 'AnswerCompleted', 'AnswerFailed'],
            },
          },
        },
        {
          Sid: 'IdempotencyRecords',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Resource: { 'Fn::GetAtt': ['IdempotencyTable', 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': ['InvokeAgentDeadLetterQueue', 'Arn'] },
        },
      ]);
    });

    test('grants no wildcard action or resource (beyond the function’s own log groups) and no access to tenant data', () => {
      // Act
      const all = statements(templates.dev);
      const logs = all.filter((s) => actionsOf(s).every((a) => a.startsWith('logs:')));

      // Assess
      for (const statement of all) {
        expect(statement.Effect).toBe('Allow');
        for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
        if (!logs.includes(statement)) expect(JSON.stringify(statement.Resource)).not.toContain('*');
      }
      for (const statement of logs) {
        expect(JSON.stringify(statement.Resource)).toContain(
          'log-group:/aws/lambda/tenant-assistant-agent-invoker-dev',
        );
      }
      const text = JSON.stringify(all);
      expect(text).not.toContain('order-action-group-dev-TenantConfigTableArn');
      expect(text).not.toContain('orders-');
      expect(text).not.toMatch(/dynamodb:(Query|Scan|BatchGetItem)/);
    });

    test('exports its outputs as <service>-<stage>-<OutputKey>', () => {
      // Act
      const outputs = Object.entries(templates.dev.Outputs ?? {}).filter(
        ([key]) => !key.startsWith('ServerlessDeployment'),
      );

      // Assess
      for (const key of [
        'IdempotencyTableName',
        'DeadLetterQueueUrl',
        'DeadLetterQueueArn',
        'InvokeAgentRoleArn',
      ]) {
        expect(templates.dev.Outputs?.[key]?.Export?.Name).toBe(`tenant-assistant-agent-invoker-dev-${key}`);
      }
      expect(outputs.length).toBeGreaterThanOrEqual(4);
    });
  });

  describe('answer failure-rate alarm and the dashboard', () => {
    it('alarms when more than 20 % of at least 10 answers in 5 minutes failed, from the service-wide lines', () => {
      // Act
      const alarm = (
        (templates.dev.Resources ?? {}).AnswerFailureRateAlarm as unknown as {
          Properties: Record<string, unknown>;
        }
      ).Properties;
      const metrics = alarm.Metrics as {
        Id: string;
        Expression?: string;
        MetricStat?: { Metric: unknown };
      }[];

      // Assess
      expect(alarm).toMatchObject({
        Threshold: 20,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      });
      expect(metrics.map((metric) => metric.MetricStat?.Metric)).toEqual([
        {
          Namespace: 'TenantAssistant',
          MetricName: 'AnswerFailed',
          Dimensions: [{ Name: 'service', Value: 'agent-invoker' }],
        },
        {
          Namespace: 'TenantAssistant',
          MetricName: 'AnswerCompleted',
          Dimensions: [{ Name: 'service', Value: 'agent-invoker' }],
        },
        undefined,
      ]);
      expect(metrics[2]?.Expression).toContain('>= 10');
    });

    it("draws the stage's dashboard from the metrics the functions write and every dead-letter queue", () => {
      // Act
      const body = (
        (templates.dev.Resources ?? {}).OperationsDashboard as unknown as {
          Properties: {
            DashboardName: string;
            DashboardBody: { 'Fn::Sub': [string, Record<string, unknown>] };
          };
        }
      ).Properties;
      const [text, variables] = body.DashboardBody['Fn::Sub'];
      const dashboard = JSON.parse(text) as { widgets: { properties: { metrics: unknown[] } }[] };

      // Assess
      expect(body.DashboardName).toBe('tenant-assistant-dev');
      for (const metric of [
        'PromptAccepted',
        'PromptThrottled',
        'AnswerCompleted',
        'AnswerFailed',
        'AnswerLatency',
        'InputTokens',
        'OutputTokens',
      ]) {
        expect(JSON.stringify(dashboard)).toContain(metric);
      }
      // Each queue's name as its own stack gives it: the earlier stacks' exports, this stack's queue.
      expect(variables).toEqual({
        AnswerEventsDeadLetterQueue: {
          'Fn::ImportValue': 'tenant-assistant-chat-api-dev-AnswerEventsDeadLetterQueueName',
        },
        OffboardTenantDeadLetterQueue: {
          'Fn::ImportValue': 'tenant-assistant-chat-api-dev-OffboardTenantDeadLetterQueueName',
        },
        OffboardingReportsDeadLetterQueue: {
          'Fn::ImportValue': 'tenant-assistant-auth-dev-OffboardingReportsDeadLetterQueueName',
        },
        InvokeAgentDeadLetterQueue: { 'Fn::GetAtt': ['InvokeAgentDeadLetterQueue', 'QueueName'] },
        ProvisionTenantDeadLetterQueue: {
          'Fn::ImportValue': 'tenant-assistant-order-action-group-dev-ProvisionTenantDeadLetterQueueName',
        },
      });
      const queues = dashboard.widgets.flatMap((widget) =>
        widget.properties.metrics.filter((metric) => Array.isArray(metric) && metric[0] === 'AWS/SQS'),
      );
      expect(queues.map((metric) => (metric as unknown[])[3])).toEqual(
        Object.keys(variables).map((name) => `\${${name}}`),
      );
      // Nothing else is substituted: no framework variable left unresolved.
      const substituted = [...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]);
      expect(new Set(substituted)).toEqual(new Set(['AWS::Region', ...Object.keys(variables)]));
    });
  });
};
