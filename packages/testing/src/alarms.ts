import type { CfnTemplate } from './serverless-package';

/** The SNS topic the template tests give as the stage parameter `alarmTopicArn`. */
export const TEST_ALARM_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ops-alarms';

/**
 * The template tests of a service's dead-letter alarm (every service alarms on its queue the same
 * way): it fires at one waiting message, and notifies `alarmTopicArn` only when the stage sets it.
 * `templates()` gives the service packaged without that parameter and with it (TEST_ALARM_TOPIC_ARN).
 *
 * @example describeDeadLetterAlarm(() => ({ without: dev, with: prod }), 'InvokeAgentDeadLetterAlarm', 'InvokeAgentDeadLetterQueue');
 */
export const describeDeadLetterAlarm = (
  templates: () => { without: CfnTemplate; with: CfnTemplate },
  alarmId: string,
  queueId: string,
) =>
  describe(`dead-letter alarm ${alarmId}`, () => {
    const alarmOf = (template: CfnTemplate) =>
      (template.Resources?.[alarmId] as { Properties?: Record<string, unknown> } | undefined)?.Properties;

    it('alarms as soon as one message waits in the dead-letter queue', () => {
      // Act
      const alarm = alarmOf(templates().without);
      // Assess
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('notifies the alarmTopicArn parameter when one is given, and nobody otherwise', () => {
      // Act
      const { without, with: withTopic } = templates();
      // Assess
      const onlyWithTopic = { 'Fn::If': ['HasAlarmTopic', [TEST_ALARM_TOPIC_ARN], { Ref: 'AWS::NoValue' }] };
      expect(alarmOf(withTopic)?.AlarmActions).toEqual(onlyWithTopic);
      expect(alarmOf(withTopic)?.OKActions).toEqual(onlyWithTopic);
      expect(withTopic.Conditions?.HasAlarmTopic).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [TEST_ALARM_TOPIC_ARN, ''] }],
      });
      expect(without.Conditions?.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    });
  });

/** Where one asynchronously invoked function's failures end (logical ids in the packaged template). */
export interface FunctionDeadLetter {
  /** The function's logical id without `LambdaFunction`, e.g. `OffboardTenant`. */
  functionId: string;
  queueId: string;
  alarmId: string;
  /** The queue's physical name on the `without` stage. */
  queueName: string;
}

/**
 * Registers the tests of an asynchronously invoked function's dead letters: after Lambda's two
 * retries a failed invocation goes to the function's own encrypted queue (its on-failure
 * destination), and that queue's alarm ({@link describeDeadLetterAlarm}).
 *
 * @example describeFunctionDeadLetter(() => ({ without: dev, with: prod }), { functionId: 'OffboardTenant', … });
 */
export const describeFunctionDeadLetter = (
  templates: () => { without: CfnTemplate; with: CfnTemplate },
  { functionId, queueId, alarmId, queueName }: FunctionDeadLetter,
) => {
  describe(`${functionId} dead letters`, () => {
    it("sends an invocation that failed Lambda's retries to the function's encrypted dead-letter queue", () => {
      // Prepare
      const { without } = templates();

      // Act
      const config = without.Resources[`${functionId}LambdaEvConf`]?.Properties as
        | { MaximumRetryAttempts?: number; DestinationConfig?: { OnFailure?: { Destination?: unknown } } }
        | undefined;

      // Assess
      expect(config?.MaximumRetryAttempts).toBe(2);
      expect(config?.DestinationConfig?.OnFailure?.Destination).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
      expect(without.Resources[queueId]?.Properties).toMatchObject({
        QueueName: queueName,
        SqsManagedSseEnabled: true,
      });
    });
  });
  describeDeadLetterAlarm(templates, alarmId, queueId);
};
