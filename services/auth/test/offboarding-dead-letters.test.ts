import { join } from 'node:path';
import {
  type CfnTemplate,
  describeFunctionDeadLetter,
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

describeFunctionDeadLetter(() => ({ without: dev, with: prod }), {
  functionId: 'OffboardingReports',
  queueId: 'OffboardingReportsDeadLetterQueue',
  alarmId: 'OffboardingReportsDeadLetterAlarm',
  queueName: 'tenant-assistant-auth-dev-offboarding-reports-dlq',
});
