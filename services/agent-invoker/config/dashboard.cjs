'use strict';
/**
 * The stage's operations dashboard (`AWS::CloudWatch::Dashboard` tenant-assistant-<stage>), built at
 * package time (`${file(./config/dashboard.cjs):body}`), offline. It reads the metrics the functions
 * write in embedded metric format (namespace TenantAssistant; lambda-kit's metrics): prompts and
 * throttles per tenant (chat-api), answers completed and failed, failure reasons, answer latency
 * p50/p95, tokens per tenant (agent-invoker), the other functions' refusals and failures
 * (lambda-kit's outcomeMetrics, service-wide lines), and the depth of every dead-letter queue.
 * The queues are named where their services declare them: the services deployed before this stack
 * export their queue's name, and this one's own queue is read from its resource.
 */
const NAMESPACE = 'TenantAssistant';
const PERIOD = 300;

const search = (dimensions, metricName, label) => ({
  expression: `SEARCH('{${NAMESPACE},${dimensions.join(',')}} MetricName="${metricName}"', 'Sum', ${PERIOD})`,
  id: metricName.toLowerCase(),
  ...(label ? { label } : {}),
});

const widget = (title, metrics, x, y, extra = {}) => ({
  type: 'metric',
  x,
  y,
  width: 12,
  height: 6,
  properties: { title, region: '${AWS::Region}', view: 'timeSeries', period: PERIOD, metrics, ...extra },
});

const service = (name) => ['service', name];

/** The dead-letter queues of the stage as `Fn::Sub` variables: each one's name as its stack gives it. */
const deadLetterQueues = (stage) => ({
  AnswerEventsDeadLetterQueue: {
    'Fn::ImportValue': `tenant-assistant-chat-api-${stage}-AnswerEventsDeadLetterQueueName`,
  },
  OffboardTenantDeadLetterQueue: {
    'Fn::ImportValue': `tenant-assistant-chat-api-${stage}-OffboardTenantDeadLetterQueueName`,
  },
  OffboardingReportsDeadLetterQueue: {
    'Fn::ImportValue': `tenant-assistant-auth-${stage}-OffboardingReportsDeadLetterQueueName`,
  },
  InvokeAgentDeadLetterQueue: { 'Fn::GetAtt': ['InvokeAgentDeadLetterQueue', 'QueueName'] },
  ProvisionTenantDeadLetterQueue: {
    'Fn::ImportValue': `tenant-assistant-order-action-group-${stage}-ProvisionTenantDeadLetterQueueName`,
  },
});

const dashboard = (stage) => ({
  widgets: [
    widget(
      'Prompts accepted per tenant',
      [[search(['service', 'tenant', 'tier'], 'PromptAccepted', '')]],
      0,
      0,
    ),
    widget(
      'Prompts throttled per tenant and limit',
      [[search(['limit', 'service', 'tenant', 'tier'], 'PromptThrottled', '')]],
      12,
      0,
    ),
    widget(
      'Answers',
      [
        [NAMESPACE, 'AnswerCompleted', ...service('agent-invoker'), { stat: 'Sum', label: 'completed' }],
        [NAMESPACE, 'AnswerFailed', ...service('agent-invoker'), { stat: 'Sum', label: 'failed' }],
      ],
      0,
      6,
    ),
    widget('Failed answers by reason', [[search(['reason', 'service'], 'AnswerFailed', '')]], 12, 6),
    widget(
      'Answer latency, submit to end (ms)',
      [
        [NAMESPACE, 'AnswerLatency', ...service('agent-invoker'), { stat: 'p50', label: 'p50' }],
        [NAMESPACE, 'AnswerLatency', ...service('agent-invoker'), { stat: 'p95', label: 'p95' }],
      ],
      0,
      12,
    ),
    widget(
      'Model tokens per tenant',
      [
        [search(['service', 'tenant', 'tier'], 'InputTokens', 'input')],
        [search(['service', 'tenant', 'tier'], 'OutputTokens', 'output')],
      ],
      12,
      12,
    ),
    widget(
      'Dead-letter queues (messages waiting)',
      Object.keys(deadLetterQueues(stage)).map((queue) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        `\${${queue}}`,
        { stat: 'Maximum', label: `\${${queue}}` },
      ]),
      0,
      18,
      { period: 60 },
    ),
    widget(
      'Refusals and failures of the other functions',
      [
        ['SignInRefused', 'auth', 'sign-ins refused'],
        ['AdminRequestFailed', 'auth', 'admin requests failed'],
        ['OffboardingReportFailed', 'auth', 'offboarding reports failed'],
        ['ApiRequestFailed', 'chat-api', 'chat requests failed'],
        ['AnswersTimedOut', 'chat-api', 'answers timed out'],
        ['OffboardingStepFailed', 'chat-api', 'chat offboardings failed'],
        ['OrderLookupFailed', 'order-action-group', 'order lookups failed'],
        ['TenantLifecycleStepFailed', 'order-action-group', 'tenant lifecycle steps failed'],
      ].map(([metric, name, label]) => [NAMESPACE, metric, ...service(name), { stat: 'Sum', label }]),
      12,
      18,
    ),
  ],
});

module.exports = {
  dashboard,
  deadLetterQueues,
  body: async ({ resolveVariable }) => {
    const stage = await resolveVariable('sls:stage');
    return { 'Fn::Sub': [JSON.stringify(dashboard(stage)), deadLetterQueues(stage)] };
  },
};
