import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CfnResource,
  type CfnTemplate,
  describeDeadLetterAlarm,
  packageService,
  resourcesOfType,
  roleStatements,
  TEST_ALARM_TOPIC_ARN,
  webAddressParams,
} from '@tenant-assistant/testing';

jest.setTimeout(180_000);

const serviceDir = join(__dirname, '..');
const FUNCTIONS = [
  'submitPrompt',
  'getAnswer',
  'listAnswers',
  'listConversations',
  'getUsage',
  'wsConnect',
  'wsDisconnect',
  'onAnswerEvent',
  'sweepAnswers',
  'offboardTenant',
];

let dev: CfnTemplate;
let prod: CfnTemplate;

// The local stage's template is checked in local-stage.test.ts (it packages that stage anyway).
beforeAll(async () => {
  [dev, prod] = await Promise.all([
    packageService(serviceDir, {
      stage: 'dev',
      params: { ...webAddressParams, webOrigin: 'https://dev.chat.example.com' },
    }),
    packageService(serviceDir, {
      stage: 'prod',
      params: {
        ...webAddressParams,
        cognitoWebClientId: 'prodwebclient123',
        alarmTopicArn: TEST_ALARM_TOPIC_ARN,
      },
    }),
  ]);
});

const resource = (template: CfnTemplate, logicalId: string): CfnResource => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`${logicalId} is not in the template`);
  return found;
};
const props = (template: CfnTemplate, logicalId: string) => resource(template, logicalId).Properties ?? {};

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};
/** A role's statements but the X-Ray trace writes every function role has (testing's `roleStatements`). */
const statementsOf = (template: CfnTemplate, roleId: string): Statement[] =>
  roleStatements(resource(template, roleId)) as Statement[];
const actionsOf = (template: CfnTemplate, roleId: string) =>
  statementsOf(template, roleId)
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
    .sort();
const roleOf = (template: CfnTemplate, functionName: string) => {
  const logicalId = `${functionName[0]?.toUpperCase()}${functionName.slice(1)}LambdaFunction`;
  return (props(template, logicalId).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
};

describe('chat-api template', () => {
  describe('HTTP API', () => {
    it('has a Cognito JWT authorizer on the issuer and web client exported by the auth service', () => {
      // Act
      const [[, authorizer] = []] = resourcesOfType(dev, 'AWS::ApiGatewayV2::Authorizer');

      // Assess
      expect(authorizer?.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-IssuerUrl' },
          Audience: [{ 'Fn::ImportValue': 'tenant-assistant-auth-dev-WebClientId' }],
        },
      });
    });

    it('serves exactly the seven routes, each behind the JWT authorizer', () => {
      // Act
      const routes = resourcesOfType(dev, 'AWS::ApiGatewayV2::Route')
        .map(([, route]) => route.Properties ?? {})
        .filter((route) => (route.ApiId as { Ref?: string }).Ref === 'HttpApi');

      // Assess
      expect(routes.map((route) => route.RouteKey).sort()).toEqual([
        'GET /answers',
        'GET /answers/{answerId}',
        'GET /conversations',
        'GET /usage',
        'GET /usage/tenants',
        'GET /usage/tenants/{tenantId}',
        'POST /prompts',
      ]);
      for (const route of routes) {
        expect(route).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: 'HttpApiAuthorizerCognito' },
        });
      }
    });

    it('allows CORS only from the web origin of the stage', () => {
      // Act
      const devCors = props(dev, 'HttpApi').CorsConfiguration;
      const prodCors = props(prod, 'HttpApi').CorsConfiguration;

      // Assess
      expect(devCors).toMatchObject({
        AllowOrigins: ['https://dev.chat.example.com'],
        AllowHeaders: ['authorization', 'content-type'],
      });
      expect(prodCors).toMatchObject({ AllowOrigins: ['https://chat.example.com'] });
    });

    it('throttles both APIs per stage', () => {
      // Act
      const http = props(prod, 'HttpApiStage').DefaultRouteSettings;
      const webSocket = props(prod, 'WebsocketsDeploymentStage').DefaultRouteSettings;

      // Assess
      expect(http).toEqual({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
      expect(webSocket).toEqual({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
      expect(props(dev, 'HttpApiStage').DefaultRouteSettings).toEqual({
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      });
    });

    it('gives the functions the pool and client the authorizer uses, to verify tokens in code', () => {
      // Act
      const environment = (
        props(dev, 'SubmitPromptLambdaFunction').Environment as { Variables: Record<string, unknown> }
      ).Variables;

      // Assess
      expect(environment).toMatchObject({
        COGNITO_USER_POOL_ID: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-UserPoolId' },
        COGNITO_CLIENT_IDS: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-WebClientId' },
        COGNITO_ISSUER: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-IssuerUrl' },
        EVENT_BUS_NAME: 'tenant-assistant-dev',
        TENANT_REGISTRY_TABLE_NAME: {
          'Fn::ImportValue': 'tenant-assistant-auth-dev-TenantsTableName',
        },
        USAGE_TABLE_NAME: 'tenant-assistant-chat-api-dev-usage',
      });
    });
  });

  describe('WebSocket API', () => {
    it('routes $connect and $disconnect to their functions', () => {
      // Act
      const routes = resourcesOfType(dev, 'AWS::ApiGatewayV2::Route')
        .map(([, route]) => route.Properties ?? {})
        .filter((route) => (route.ApiId as { Ref?: string }).Ref === 'WebsocketsApi')
        .map((route) => route.RouteKey)
        .sort();

      // Assess
      expect(routes).toEqual(['$connect', '$disconnect']);
    });

    it('points onAnswerEvent at the @connections API of its own stage', () => {
      // Act
      const environment = (
        props(dev, 'OnAnswerEventLambdaFunction').Environment as { Variables: Record<string, unknown> }
      ).Variables;

      // Assess
      expect(JSON.stringify(environment.WEBSOCKET_API_ENDPOINT)).toContain('{"Ref":"WebsocketsApi"}');
      expect(JSON.stringify(environment.WEBSOCKET_API_ENDPOINT)).toContain('/dev');
    });
  });

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

  describe('tables', () => {
    it("keys conversations by owner, ordered by their latest prompt within the owner's partition", () => {
      // Act
      const conversations = props(dev, 'ConversationsTable');

      // Assess
      expect(conversations).toMatchObject({
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'conversationId', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          expect.objectContaining({
            IndexName: 'recent-index',
            KeySchema: [
              { AttributeName: 'userId', KeyType: 'HASH' },
              { AttributeName: 'lastPromptAt', KeyType: 'RANGE' },
            ],
          }),
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('keys answers by owner, with a conversation index in the same partition and a TTL', () => {
      // Act
      const answers = props(dev, 'AnswersTable');

      // Assess
      expect(answers).toMatchObject({
        TableName: 'tenant-assistant-chat-api-dev-answers',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'answerId', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'conversation-index',
            KeySchema: [
              { AttributeName: 'userId', KeyType: 'HASH' },
              { AttributeName: 'conversationSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('keys connections by id, with a user index and a TTL', () => {
      // Act
      const connections = props(dev, 'ConnectionsTable');

      // Assess
      expect(connections).toMatchObject({
        KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          expect.objectContaining({
            IndexName: 'user-index',
            KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          }),
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('expires rate-limit counters', () => {
      // Assess
      expect(props(dev, 'RateLimitsTable').TimeToLiveSpecification).toEqual({
        AttributeName: 'expiresAt',
        Enabled: true,
      });
    });

    it('retains the answers table in prod only', () => {
      // Assess
      expect(resource(prod, 'AnswersTable').DeletionPolicy).toBe('Retain');
      expect(resource(dev, 'AnswersTable').DeletionPolicy).toBe('Delete');
    });
  });

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

  describe('outputs', () => {
    it('exports the bus, the API URLs and the tables as <service>-<stage>-<OutputKey>', () => {
      // Act
      const outputs = dev.Outputs ?? {};

      // Assess
      for (const key of [
        'EventBusName',
        'EventBusArn',
        'HttpApiUrl',
        'ServiceEndpointWebsocket',
        'AnswersTableName',
        'ConversationsTableName',
        'ConnectionsTableName',
      ]) {
        expect(outputs[key]?.Export?.Name).toBe(`tenant-assistant-chat-api-dev-${key}`);
      }
      for (const [key, output] of Object.entries(outputs)) {
        expect([key, output.Export?.Name]).toEqual([key, `tenant-assistant-chat-api-dev-${key}`]);
      }
    });
  });
});

describeDeadLetterAlarm(
  () => ({ without: dev, with: prod }),
  'AnswerEventsDeadLetterAlarm',
  'AnswerEventsDeadLetterQueue',
);
