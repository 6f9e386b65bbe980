import { join } from 'node:path';
import {
  type CfnTemplate,
  describeFunctionDeadLetter,
  packageService,
  TEST_ALARM_TOPIC_ARN,
  webAddressParams,
} from '@tenant-assistant/testing';

jest.setTimeout(180_000);

// offboardTenant's failures after Lambda's retries end in a dead-letter queue of their own, which
// an alarm watches (the other dead letters of the service are checked in template.test.ts).

const serviceDir = join(__dirname, '..');
let dev: CfnTemplate;
let prod: CfnTemplate;

beforeAll(async () => {
  dev = await packageService(serviceDir, {
    stage: 'dev',
    params: { ...webAddressParams, webOrigin: 'https://dev.chat.example.com' },
  });
  prod = await packageService(serviceDir, {
    stage: 'prod',
    params: {
      ...webAddressParams,
      cognitoWebClientId: 'prodwebclient123',
      alarmTopicArn: TEST_ALARM_TOPIC_ARN,
    },
  });
});

describeFunctionDeadLetter(() => ({ without: dev, with: prod }), {
  functionId: 'OffboardTenant',
  queueId: 'OffboardTenantDeadLetterQueue',
  alarmId: 'OffboardTenantDeadLetterAlarm',
  queueName: 'tenant-assistant-chat-api-dev-offboard-tenant-dlq',
});

it('lets offboardTenant’s role write its dead-letter queue', () => {
  // Act
  const role = JSON.stringify(dev.Resources.OffboardTenantRole?.Properties?.Policies);

  // Assess
  expect(role).toContain(
    '"Action":"sqs:SendMessage","Resource":{"Fn::GetAtt":["OffboardTenantDeadLetterQueue","Arn"]}',
  );
});
