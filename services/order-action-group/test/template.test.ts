// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are compared verbatim
import { packageService, TEST_ALARM_TOPIC_ARN } from '@tenant-assistant/testing';
import { serviceDir } from './isolated-service';
import { agentTests } from './template/agent';
import { dataTests } from './template/data';
import { provisioningTests } from './template/provisioning';
import type { Templates } from './template/support';

// One packaging of each stage for every group of template tests (packaging is the expensive part).
const templates = {} as Templates;

beforeAll(async () => {
  [templates.dev, templates.prod, templates.local] = await Promise.all([
    packageService(serviceDir, { stage: 'dev' }),
    packageService(serviceDir, {
      stage: 'prod',
      params: {
        agentInvokerRoleArn: 'arn:aws:iam::123456789012:role/custom-agent-invoker',
        controlBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/custom-control',
        agentModel: 'anthropic.claude-3-5-haiku-20241022-v1:0',
        alarmTopicArn: TEST_ALARM_TOPIC_ARN,
      },
    }),
    packageService(serviceDir, { stage: 'local' }),
  ]);
}, 120_000);

dataTests(templates);
provisioningTests(templates);
agentTests(templates);
