import { describeDeadLetterAlarm, describeFunctionDeadLetter } from '@tenant-assistant/testing';
import { dev, packageStages, prod } from './support/template';

/**
 * chat-api's packaged CloudFormation template. `serverless package` is slow, so it runs once per
 * stage here, for every subject in test/template/, and the subjects are registered below.
 */
import './template/http-and-websocket';
import './template/bus-and-deadlines';
import './template/tables';
import './template/roles';
import './template/outputs';

jest.setTimeout(180_000);

beforeAll(packageStages);

describeDeadLetterAlarm(
  () => ({ without: dev, with: prod }),
  'AnswerEventsDeadLetterAlarm',
  'AnswerEventsDeadLetterQueue',
);

// offboardTenant's failures after Lambda's retries end in a dead-letter queue of their own.
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
