import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  createAsyncInvoker,
  type LocalLambda,
  type LocalSqs,
  loadFunctionsFromServerlessYml,
  loadRulesFromServerlessYml,
  startLocalEventBridge,
  startLocalLambda,
  startLocalSqs,
} from '@tenant-assistant/local-stack';
import {
  countMessages,
  deadLetterQueuesOf,
  parseDeadLetter,
  redriveDeadLetters,
  showDeadLetters,
} from '../src/dlq';
import { REPO_ROOT } from '../src/state';

const AGENT_INVOKER = join(REPO_ROOT, 'services', 'agent-invoker', 'serverless.yml');
const SERVICE_FILES = ['auth', 'chat-api', 'agent-invoker', 'order-action-group'].map((s) =>
  join(REPO_ROOT, 'services', s, 'serverless.yml'),
);
const QUEUE = 'tenant-assistant-agent-invoker-local-invoke-agent-dlq';
const credentials = { accessKeyId: 'LOCALADMIN', secretAccessKey: 'local-admin-secret' };
const options = { stage: 'local', region: 'us-east-1', accountId: '000000000000', env: process.env };

describe('dlq', () => {
  test('finds each service’s dead-letter queues in its serverless.yml, for the stage', () => {
    // Act
    const local = deadLetterQueuesOf(SERVICE_FILES, { stage: 'local', region: 'us-east-1' });
    const prod = deadLetterQueuesOf(SERVICE_FILES, { stage: 'prod', region: 'us-east-1' });

    // Assess
    expect(local.map((q) => q.name).sort()).toEqual([
      'tenant-assistant-agent-invoker-local-invoke-agent-dlq',
      'tenant-assistant-auth-local-offboarding-reports-dlq',
      'tenant-assistant-chat-api-local-answer-events-dlq',
      'tenant-assistant-chat-api-local-offboard-tenant-dlq',
      'tenant-assistant-order-action-group-local-provision-tenant-dlq',
    ]);
    expect(prod.map((q) => q.name)).toContain('tenant-assistant-agent-invoker-prod-invoke-agent-dlq');
  });

  test('reads an EventBridge target dead letter and leaves an unknown message alone', () => {
    // Act
    const letter = parseDeadLetter({
      MessageId: 'm-1',
      Body: JSON.stringify({ 'detail-type': 'PromptSubmitted', detail: { answerId: 'a' } }),
      MessageAttributes: {
        TARGET_ARN: { DataType: 'String', StringValue: 'arn:aws:lambda:us-east-1:1:function:f' },
        ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
      },
    });

    // Assess
    expect(letter).toMatchObject({
      kind: 'eventbridge-target',
      functionName: 'arn:aws:lambda:us-east-1:1:function:f',
    });
    expect(parseDeadLetter({ MessageId: 'm-2', Body: '{"hello":1}' })).toBeUndefined();
    expect(parseDeadLetter({ MessageId: 'm-3', Body: 'not json' })).toBeUndefined();
  });

  describe('against the local stand-ins, with the agent-invoker’s settings from its serverless.yml', () => {
    let sqs: LocalSqs;
    let lambda: LocalLambda;
    let bus: Awaited<ReturnType<typeof startLocalEventBridge>>;
    let invoker: ReturnType<typeof createAsyncInvoker>;
    /** The function: fails while `failing`, and records each answerId it answers (idempotently, like Powertools). */
    let failing = true;
    const calls: string[] = [];
    const answered = new Set<string>();
    let answers = 0;

    beforeAll(async () => {
      sqs = await startLocalSqs({ host: '127.0.0.1', port: 0, queues: [{ name: QUEUE }] });
      invoker = createAsyncInvoker({
        delayScale: 1 / 60_000,
        deadLetters: sqs,
        invoke: async (_target, payload) => {
          const answerId = String((payload as { detail: { answerId: string } }).detail.answerId);
          calls.push(answerId);
          if (failing) throw new Error('idempotency table unavailable');
          if (!answered.has(answerId)) {
            answered.add(answerId);
            answers += 1;
          }
        },
      });
      lambda = await startLocalLambda({
        host: '127.0.0.1',
        port: 0,
        functions: loadFunctionsFromServerlessYml(AGENT_INVOKER, options),
        invoke: async () => undefined,
        asyncInvoker: invoker,
      });
      bus = await startLocalEventBridge({
        host: '127.0.0.1',
        port: 0,
        rules: loadRulesFromServerlessYml(AGENT_INVOKER, options),
        asyncInvoker: invoker,
      });
    });
    afterAll(async () => {
      invoker.close();
      await bus.close();
      await lambda.close();
      await sqs.close();
    });

    test('an exhausted event lands in the DLQ after 1 + 2 attempts, and redrive delivers it exactly once', async () => {
      // Prepare: PromptSubmitted whose every attempt fails → the function's on-failure destination
      const put = await fetch(bus.url, {
        method: 'POST',
        headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({
          Entries: [
            {
              EventBusName: 'tenant-assistant-local',
              Source: 'tenant-assistant.chat-api',
              DetailType: 'PromptSubmitted',
              Detail: JSON.stringify({ tenantId: 'tenant1', answerId: 'u.01' }),
            },
          ],
        }),
      });
      expect(await put.json()).toMatchObject({ FailedEntryCount: 0 });
      await invoker.drain();
      const clients = {
        sqs: new SQSClient({ endpoint: sqs.url, region: 'us-east-1', credentials }),
        lambda: new LambdaClient({ endpoint: lambda.url, region: 'us-east-1', credentials }),
      };
      expect(calls).toEqual(['u.01', 'u.01', 'u.01']); // maximumRetryAttempts: 2
      expect(await countMessages(clients.sqs, QUEUE)).toEqual({ visible: 1, inFlight: 0 });
      const shown = await showDeadLetters(clients.sqs, QUEUE);
      expect(shown[0]?.deadLetter).toMatchObject({
        kind: 'lambda-on-failure',
        functionName:
          'arn:aws:lambda:us-east-1:000000000000:function:tenant-assistant-agent-invoker-local-invokeAgent',
        reason: 'RetriesExhausted: Error: idempotency table unavailable',
      });
      failing = false;

      // Act
      const first = await redriveDeadLetters(clients, QUEUE);
      await invoker.drain();
      const second = await redriveDeadLetters(clients, QUEUE);
      await invoker.drain();

      // Assess
      expect(first.redriven).toHaveLength(1);
      expect(first.kept).toEqual([]);
      expect(second.redriven).toHaveLength(0);
      expect(calls).toHaveLength(4);
      expect(answers).toBe(1);
      expect(await countMessages(clients.sqs, QUEUE)).toEqual({ visible: 0, inFlight: 0 });
    });
  });
});
