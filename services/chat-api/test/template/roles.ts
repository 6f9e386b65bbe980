import { actionsOf, dev, FUNCTIONS, props, roleOf, statementsOf } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('chat-api template', () => {
  describe('roles', () => {
    it('gives every function its own role and creates no shared one', () => {
      // Act
      const roles = FUNCTIONS.map((name) => roleOf(dev, name));

      // Assess
      expect(new Set(roles).size).toBe(FUNCTIONS.length);
      expect(dev.Resources.IamRoleLambdaExecution).toBeUndefined();
    });

    it.each([
      [
        'submitPrompt',
        [
          // answers: put + mark failed; conversations; rate limits: counters, slot map, lapsed-slot
          // sweep; tier; budget
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:UpdateItem',
          'dynamodb:UpdateItem',
          'dynamodb:PutItem',
          'dynamodb:GetItem',
          'dynamodb:GetItem',
          'dynamodb:GetItem',
          'events:PutEvents',
        ],
      ],
      ['getAnswer', ['dynamodb:GetItem', 'dynamodb:UpdateItem']],
      ['listAnswers', ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']],
      ['listConversations', ['dynamodb:Query']],
      [
        'getUsage',
        [
          // caller's groups; usage: month, months, days and users; registry: one tenant, every tenant
          'cognito-idp:AdminListGroupsForUser',
          'dynamodb:BatchGetItem',
          'dynamodb:GetItem',
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:Scan',
        ],
      ],
      [
        'sweepAnswers',
        [
          'dynamodb:DeleteItem',
          'dynamodb:Query',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
          'execute-api:ManageConnections',
        ],
      ],
      [
        'offboardTenant',
        [
          'dynamodb:GetItem', // the tenant's status in auth's registry
          'dynamodb:Scan',
          'dynamodb:BatchWriteItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
          'execute-api:ManageConnections',
          'events:PutEvents',
          'sqs:SendMessage',
        ],
      ],
      ['wsConnect', ['dynamodb:PutItem']],
      ['wsDisconnect', ['dynamodb:DeleteItem']],
      [
        'onAnswerEvent',
        [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
          'dynamodb:UpdateItem', // frees the answer's in-flight slot
          'execute-api:ManageConnections',
          'sqs:SendMessage',
        ],
      ],
    ])('allows %s only what it does', (name, actions) => {
      // Act
      const granted = actionsOf(dev, roleOf(dev, name)).filter((action) => !action.startsWith('logs:'));

      // Assess
      expect(granted).toEqual([...actions].sort());
    });

    it('grants no wildcard action or resource, and logs only to the function’s own log group', () => {
      for (const name of FUNCTIONS) {
        // Act
        const statements = statementsOf(dev, roleOf(dev, name));

        // Assess
        for (const statement of statements) {
          expect(JSON.stringify(statement.Action)).not.toContain('*');
          expect(statement.Resource).not.toBe('*');
        }
        const logs = statements.find((statement) => statement.Sid === 'WriteOwnLogs');
        expect(JSON.stringify(logs?.Resource)).toContain(
          `/aws/lambda/tenant-assistant-chat-api-dev-${name}:*`,
        );
      }
    });

    it('lets offboardTenant publish only its report from the chat-api source, on auth’s control bus, and routes only TenantOffboarded from auth to it', () => {
      // Act
      const publish = statementsOf(dev, roleOf(dev, 'offboardTenant')).find((statement) =>
        String(statement.Action).includes('events:PutEvents'),
      );
      const rule = props(dev, 'TenantOffboardedRule');

      // Assess
      expect(publish).toMatchObject({
        Resource: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-ControlEventBusArn' },
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['tenant-assistant.chat-api'],
            'events:detail-type': ['TenantChatDataDeleted'],
          },
        },
      });
      expect(rule).toMatchObject({
        EventBusName: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-ControlEventBusArn' },
        EventPattern: { source: ['tenant-assistant.auth'], 'detail-type': ['TenantOffboarded'] },
      });
      expect(props(dev, 'OffboardTenantRole').RoleName).toBe('tenant-assistant-chat-api-dev-offboardTenant');
    });

    it('lets submitPrompt publish only PromptSubmitted from the chat-api source, on its own bus', () => {
      // Act
      const publish = statementsOf(dev, roleOf(dev, 'submitPrompt')).find((statement) =>
        String(statement.Action).includes('events:PutEvents'),
      );

      // Assess
      expect(publish).toMatchObject({
        Resource: { 'Fn::GetAtt': ['EventBus', 'Arn'] },
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['tenant-assistant.chat-api'],
            'events:detail-type': ['PromptSubmitted'],
          },
        },
      });
    });

    it("lets getUsage read only the usage table, auth's registry and the groups of auth's pool", () => {
      // Act
      const statements = statementsOf(dev, roleOf(dev, 'getUsage'));
      const resourceOfSid = (sid: string) => statements.find((statement) => statement.Sid === sid)?.Resource;

      // Assess
      expect(resourceOfSid('ReadCallerGroups')).toEqual({
        'Fn::ImportValue': 'tenant-assistant-auth-dev-UserPoolArn',
      });
      expect(resourceOfSid('ReadUsage')).toEqual({ 'Fn::GetAtt': ['UsageTable', 'Arn'] });
      expect(resourceOfSid('ReadTenantRegistry')).toEqual({
        'Fn::ImportValue': 'tenant-assistant-auth-dev-TenantsTableArn',
      });
    });

    it('lets onAnswerEvent post only to connections of its own WebSocket stage', () => {
      // Act
      const manage = statementsOf(dev, roleOf(dev, 'onAnswerEvent')).find(
        (statement) => statement.Action === 'execute-api:ManageConnections',
      );

      // Assess
      expect(manage?.Resource).toEqual({
        'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${WebsocketsApi}/dev/POST/@connections/*`,
      });
    });
  });
});
