import { join } from 'node:path';
import {
  type CfnTemplate,
  describeDeadLetterAlarm,
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

describe('offboardTenant dead letters', () => {
  it("sends an offboarding that failed Lambda's retries to its dead-letter queue, which its role may write", () => {
    // Prepare
    const config = dev.Resources.OffboardTenantLambdaEvConf?.Properties as {
      MaximumRetryAttempts?: number;
      DestinationConfig?: { OnFailure?: { Destination?: unknown } };
    };
    const role = JSON.stringify(dev.Resources.OffboardTenantRole?.Properties?.Policies);
    // Assess
    expect(config.MaximumRetryAttempts).toBe(2);
    expect(config.DestinationConfig?.OnFailure?.Destination).toEqual({
      'Fn::GetAtt': ['OffboardTenantDeadLetterQueue', 'Arn'],
    });
    expect(role).toContain(
      '"Action":"sqs:SendMessage","Resource":{"Fn::GetAtt":["OffboardTenantDeadLetterQueue","Arn"]}',
    );
    expect(dev.Resources.OffboardTenantDeadLetterQueue?.Properties).toMatchObject({
      QueueName: 'tenant-assistant-chat-api-dev-offboard-tenant-dlq',
      SqsManagedSseEnabled: true,
    });
  });
});

describeDeadLetterAlarm(
  () => ({ without: dev, with: prod }),
  'OffboardTenantDeadLetterAlarm',
  'OffboardTenantDeadLetterQueue',
);
