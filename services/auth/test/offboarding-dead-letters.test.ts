import { join } from 'node:path';
import {
  type CfnTemplate,
  describeDeadLetterAlarm,
  packageService,
  TEST_ALARM_TOPIC_ARN,
  webAddressParams,
} from '@tenant-assistant/testing';

jest.setTimeout(300_000);

// offboardingReports' failures after Lambda's retries end in a dead-letter queue, which an alarm
// watches (its role is checked with the others in template.test.ts).

const serviceDir = join(__dirname, '..');
let dev: CfnTemplate;
let prod: CfnTemplate;

beforeAll(async () => {
  dev = await packageService(serviceDir, { stage: 'dev', params: webAddressParams });
  prod = await packageService(serviceDir, {
    stage: 'prod',
    params: { ...webAddressParams, alarmTopicArn: TEST_ALARM_TOPIC_ARN },
  });
}, 300_000);

describe('offboardingReports dead letters', () => {
  it("sends a report that failed Lambda's retries to its dead-letter queue", () => {
    // Prepare
    const config = dev.Resources.OffboardingReportsLambdaEvConf?.Properties as {
      MaximumRetryAttempts?: number;
      DestinationConfig?: { OnFailure?: { Destination?: unknown } };
    };
    // Assess
    expect(config.MaximumRetryAttempts).toBe(2);
    expect(config.DestinationConfig?.OnFailure?.Destination).toEqual({
      'Fn::GetAtt': ['OffboardingReportsDeadLetterQueue', 'Arn'],
    });
    expect(dev.Resources.OffboardingReportsDeadLetterQueue?.Properties).toMatchObject({
      QueueName: 'tenant-assistant-auth-dev-offboarding-reports-dlq',
      SqsManagedSseEnabled: true,
    });
  });
});

describeDeadLetterAlarm(
  () => ({ without: dev, with: prod }),
  'OffboardingReportsDeadLetterAlarm',
  'OffboardingReportsDeadLetterQueue',
);
