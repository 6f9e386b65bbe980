import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  createAsyncInvoker,
  type EventBridgeRule,
  type LocalSqs,
  startLocalEventBridge,
  startLocalLambda,
  startLocalSqs,
  TargetUnreachableError,
} from '../src';
import { LOCAL_CREDENTIALS, localClient, REGION } from './fixtures';

const QUEUE = 'tenant-assistant-agent-invoker-local-invoke-agent-dlq';
const QUEUE_ARN = `arn:aws:sqs:us-east-1:000000000000:${QUEUE}`;
const rule: EventBridgeRule = {
  service: 'tenant-assistant-agent-invoker',
  functionName: 'invokeAgent',
  deployedName: 'tenant-assistant-agent-invoker-local-invokeAgent',
  eventBus: 'tenant-assistant-local',
  ruleName: 'tenant-assistant-agent-invoker-local-prompt-submitted',
  pattern: { source: ['tenant-assistant.chat-api'] },
  maximumRetryAttempts: 3,
  deadLetterQueueArn: QUEUE_ARN,
  functionAsync: { maximumRetryAttempts: 2, onFailureArn: QUEUE_ARN },
};
const entry = {
  EventBusName: 'tenant-assistant-local',
  Source: 'tenant-assistant.chat-api',
  DetailType: 'PromptSubmitted',
  Detail: '{"answerId":"a-1"}',
};

const sqsClient = (sqs: LocalSqs) =>
  new SQSClient({ endpoint: sqs.url, region: REGION, credentials: LOCAL_CREDENTIALS });

const receiveAll = async (client: SQSClient) => {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
  );
  return { QueueUrl, messages: Messages };
};

describe('local asynchronous delivery (EventBridge → Lambda async invocation → dead letters)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'async-delivery-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('retries a function error after 1 and 2 minutes (scaled), then sends the invocation record to the on-failure destination, kept across restarts', async () => {
    // Prepare
    const dataFile = join(dir, 'sqs.json');
    let sqs = await startLocalSqs({ queues: [{ name: QUEUE }], dataFile });
    const calls: number[] = [];
    const bus = await startLocalEventBridge({
      rules: [rule],
      retry: { delayScale: 1 / 1200 }, // 1 min → 50 ms, 2 min → 100 ms
      deadLetters: sqs,
      invoke: async () => {
        calls.push(Date.now());
        throw Object.assign(new Error('handler crashed'), {
          payload: { errorType: 'Error', errorMessage: 'handler crashed' },
        });
      },
    });
    const events = localClient(EventBridgeClient, bus.url);
    try {
      // Act
      await events.send(new PutEventsCommand({ Entries: [entry] }));
      await bus.drain();
      await sqs.close();
      sqs = await startLocalSqs({ queues: [{ name: QUEUE }], dataFile }); // a restart keeps the dead letter

      // Assess
      expect(calls).toHaveLength(3);
      expect((calls[1] as number) - (calls[0] as number)).toBeGreaterThanOrEqual(45);
      expect((calls[2] as number) - (calls[1] as number)).toBeGreaterThanOrEqual(95);
      expect(bus.failures()[0]).toMatchObject({
        attempts: 3,
        deadLetter: { queueArn: QUEUE_ARN, condition: 'RetriesExhausted' },
      });
      const { messages } = await receiveAll(sqsClient(sqs));
      expect(messages).toHaveLength(1);
      const record = JSON.parse(messages[0]?.Body ?? '{}');
      expect(record).toMatchObject({
        version: '1.0',
        requestContext: {
          functionArn:
            'arn:aws:lambda:us-east-1:000000000000:function:tenant-assistant-agent-invoker-local-invokeAgent:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: {
          source: 'tenant-assistant.chat-api',
          'detail-type': 'PromptSubmitted',
          detail: { answerId: 'a-1' },
        },
        responseContext: { functionError: 'Unhandled' },
        responsePayload: { errorMessage: 'handler crashed' },
      });
    } finally {
      await bus.close();
      await sqs.close();
    }
  });

  it('retries a delivery the Lambda service cannot take under the rule target’s retry policy, then puts the event in the target’s dead-letter queue', async () => {
    // Prepare
    const sqs = await startLocalSqs({ queues: [{ name: QUEUE }] });
    let calls = 0;
    const bus = await startLocalEventBridge({
      rules: [rule],
      retry: { delayScale: 1 / 60_000 },
      deadLetters: sqs,
      invoke: async () => {
        calls += 1;
        throw new TargetUnreachableError('connect ECONNREFUSED 127.0.0.1:3032');
      },
    });
    const events = localClient(EventBridgeClient, bus.url);
    try {
      // Act
      await events.send(new PutEventsCommand({ Entries: [entry] }));
      await bus.drain();

      // Assess
      expect(calls).toBe(4); // 1 + the rule's maximumRetryAttempts of 3
      const { messages } = await receiveAll(sqsClient(sqs));
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0]?.Body ?? '{}')).toMatchObject({ detail: { answerId: 'a-1' } });
      const attributes = Object.fromEntries(
        Object.entries(messages[0]?.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
      );
      expect(attributes).toMatchObject({
        RULE_ARN:
          'arn:aws:events:us-east-1:000000000000:rule/tenant-assistant-local/tenant-assistant-agent-invoker-local-prompt-submitted',
        TARGET_ARN:
          'arn:aws:lambda:us-east-1:000000000000:function:tenant-assistant-agent-invoker-local-invokeAgent',
        ERROR_CODE: 'SDK_CLIENT_ERROR',
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        RETRY_ATTEMPTS: '3',
      });
    } finally {
      await bus.close();
      await sqs.close();
    }
  });

  it('does not run an event again once it is older than the function’s maximumEventAge', async () => {
    // Prepare
    let now = 1_000_000;
    const sent: unknown[] = [];
    const invoker = createAsyncInvoker({
      now: () => now,
      baseDelayMs: 1,
      deadLetters: { send: (_arn, message) => sent.push(JSON.parse(message.body)) },
      invoke: async () => {
        now += 61_000; // each attempt takes longer than the event may age
        throw new Error('slow failure');
      },
    });

    // Act
    const invocation = invoker.invoke(
      {
        service: 's',
        functionName: 'f',
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 60,
        onFailureArn: QUEUE_ARN,
      },
      { hello: 'world' },
    );
    await invoker.drain();

    // Assess
    expect(invocation).toMatchObject({
      status: 'failed',
      attempts: 1,
      deadLetter: { condition: 'EventAgeExceeded' },
    });
    expect(sent).toMatchObject([
      { requestContext: { condition: 'EventAgeExceeded' }, requestPayload: { hello: 'world' } },
    ]);
  });

  it('serves Lambda Invoke: Event queues the invocation, RequestResponse answers the result, an unknown function is ResourceNotFoundException', async () => {
    // Prepare
    const ran: unknown[] = [];
    const invoke = async (_target: unknown, payload: unknown) => {
      ran.push(payload);
      return { ok: true };
    };
    const asyncInvoker = createAsyncInvoker({ invoke });
    const lambda = await startLocalLambda({
      functions: [{ service: 'svc', functionName: 'fn', deployedName: 'svc-local-fn' }],
      invoke,
      asyncInvoker,
    });
    const client = new LambdaClient({ endpoint: lambda.url, region: REGION, credentials: LOCAL_CREDENTIALS });
    try {
      // Act
      const queued = await client.send(
        new InvokeCommand({
          FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:svc-local-fn',
          InvocationType: 'Event',
          Payload: Buffer.from('{"n":1}'),
        }),
      );
      await asyncInvoker.drain();
      const answered = await client.send(
        new InvokeCommand({ FunctionName: 'svc-local-fn', Payload: Buffer.from('{"n":2}') }),
      );
      const missing = client.send(new InvokeCommand({ FunctionName: 'nope' }));

      // Assess
      expect(queued.StatusCode).toBe(202);
      expect(answered.StatusCode).toBe(200);
      expect(JSON.parse(Buffer.from(answered.Payload ?? new Uint8Array()).toString())).toEqual({ ok: true });
      expect(ran).toEqual([{ n: 1 }, { n: 2 }]);
      await expect(missing).rejects.toBeInstanceOf(ResourceNotFoundException);
    } finally {
      asyncInvoker.close();
      await lambda.close();
    }
  });

  it('runs at most defaultConcurrency invocations of a function without reserved concurrency', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const invoker = createAsyncInvoker({
      defaultConcurrency: 2,
      invoke: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      },
    });

    // Act
    const invocations = Array.from({ length: 6 }, (_, n) =>
      invoker.invoke({ service: 's', functionName: 'f' }, { n }),
    );
    await invoker.drain();

    // Assess
    expect(most).toBe(2);
    expect(invocations.map((i) => i.status)).toEqual(Array(6).fill('delivered'));
  });

  it('keeps SQS messages invisible after a receive and removes them on DeleteMessage', async () => {
    // Prepare
    const sqs = await startLocalSqs({ queues: [{ name: QUEUE }] });
    const client = sqsClient(sqs);
    try {
      sqs.send(QUEUE_ARN, { body: '{"a":1}' });

      // Act
      const first = await receiveAll(client);
      const second = await receiveAll(client);
      await client.send(
        new DeleteMessageCommand({
          QueueUrl: first.QueueUrl,
          ReceiptHandle: first.messages[0]?.ReceiptHandle,
        }),
      );

      // Assess
      expect(first.messages).toHaveLength(1);
      expect(second.messages).toHaveLength(0);
      expect(sqs.messages(QUEUE)).toHaveLength(0);
    } finally {
      await sqs.close();
    }
  });
});
