import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ServerlessConfig } from '@tenant-assistant/local-stack';

/** One dead-letter queue a service declares in its serverless.yml. */
export interface DeadLetterQueue {
  service: string;
  /** The `AWS::SQS::Queue` resource's logical id. */
  logicalId: string;
  /** The queue's name for the stage. */
  name: string;
}

/** The dead-letter queues (every `AWS::SQS::Queue`) of the given serverless.yml files, for a stage. */
export const deadLetterQueuesOf = (
  files: readonly string[],
  options: { stage: string; region: string; accountId?: string },
): DeadLetterQueue[] =>
  files.flatMap((file) => {
    const config = ServerlessConfig.load(file, { ...options, env: process.env });
    const resources = config.resolve(config.resources().Resources) as Record<
      string,
      { Type?: string; Properties?: { QueueName?: unknown } }
    >;
    return Object.entries(resources).flatMap(([logicalId, resource]) =>
      resource.Type === 'AWS::SQS::Queue' && typeof resource.Properties?.QueueName === 'string'
        ? [{ service: config.service, logicalId, name: resource.Properties.QueueName }]
        : [],
    );
  });

/** What a dead letter holds: the function it was meant for and the event to give it again. */
export interface DeadLetter {
  messageId: string;
  receiptHandle?: string;
  sentAt?: string;
  /** `eventbridge-target` (a rule could not deliver) or `lambda-on-failure` (the function failed). */
  kind: 'eventbridge-target' | 'lambda-on-failure';
  /** The function to invoke again (name or ARN without qualifier). */
  functionName: string;
  /** Why it was dead-lettered (condition, error code and message). */
  reason: string;
  /** The event the function gets on redrive. */
  payload: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a dead-letter message in either of the two shapes AWS writes: EventBridge's target
 * dead-letter message (the event as body, `TARGET_ARN`/`ERROR_CODE`/… message attributes) or
 * Lambda's on-failure destination record (`requestContext.functionArn`, `requestPayload`).
 * Undefined for anything else (left in the queue).
 */
export const parseDeadLetter = (message: Message): DeadLetter | undefined => {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return undefined;
  }
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const base = {
    messageId: message.MessageId ?? '',
    ...(message.ReceiptHandle ? { receiptHandle: message.ReceiptHandle } : {}),
    ...(message.Attributes?.SentTimestamp
      ? { sentAt: new Date(Number(message.Attributes.SentTimestamp)).toISOString() }
      : {}),
  };
  const context = isRecord(body) && isRecord(body.requestContext) ? body.requestContext : undefined;
  if (isRecord(body) && context && typeof context.functionArn === 'string' && 'requestPayload' in body) {
    const response = isRecord(body.responsePayload) ? body.responsePayload : {};
    return {
      ...base,
      kind: 'lambda-on-failure',
      functionName: context.functionArn.replace(/:(\$LATEST|\d+)$/, ''),
      reason: [context.condition, response.errorType, response.errorMessage].filter(Boolean).join(': '),
      payload: body.requestPayload,
    };
  }
  const target = attribute('TARGET_ARN');
  if (target) {
    return {
      ...base,
      kind: 'eventbridge-target',
      functionName: target,
      reason: [attribute('EXHAUSTED_RETRY_CONDITION'), attribute('ERROR_CODE'), attribute('ERROR_MESSAGE')]
        .filter(Boolean)
        .join(': '),
      payload: body,
    };
  }
  return undefined;
};

/** A short description of a dead letter's event (never its whole detail: prompts stay out of logs). */
export const describePayload = (payload: unknown): string => {
  if (!isRecord(payload)) return typeof payload;
  const detail = isRecord(payload.detail) ? payload.detail : {};
  return [
    payload['detail-type'],
    typeof detail.tenantId === 'string' ? `tenant ${detail.tenantId}` : undefined,
    typeof detail.answerId === 'string' ? `answer ${detail.answerId}` : undefined,
    typeof payload.id === 'string' ? `event ${payload.id}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
};

export interface DlqClients {
  sqs: SQSClient;
  lambda: LambdaClient;
}

const queueUrl = async (sqs: SQSClient, name: string) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`Queue ${name} has no URL`);
  return QueueUrl;
};

/** How many messages a queue holds (visible, and received but not yet deleted). */
export const countMessages = async (sqs: SQSClient, name: string) => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: await queueUrl(sqs, name),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
};

const receive = async (sqs: SQSClient, url: string, max: number, visibilityTimeout: number) => {
  const messages: Message[] = [];
  while (messages.length < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, max - messages.length),
        VisibilityTimeout: visibilityTimeout,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    if (Messages.length === 0) break;
    messages.push(...Messages);
  }
  return messages;
};

/**
 * Up to `max` messages of a queue, parsed, without removing them: they are received and made
 * visible again at once (ChangeMessageVisibility 0).
 */
export const showDeadLetters = async (sqs: SQSClient, name: string, max = 10) => {
  const url = await queueUrl(sqs, name);
  const messages = await receive(sqs, url, max, 30);
  for (const message of messages) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
  }
  return messages.map((message) => ({ message, deadLetter: parseDeadLetter(message) }));
};

export interface RedriveResult {
  redriven: DeadLetter[];
  /** Messages left in the queue (unknown shape, or the invoke was refused), with why. */
  kept: { messageId: string; why: string }[];
}

/**
 * Gives each dead letter's event back to its function as an asynchronous invocation (Lambda
 * Invoke, `InvocationType: Event`: the function's retries and on-failure destination apply again)
 * and deletes the message only once Lambda accepted it (202). A message whose invoke fails stays in
 * the queue and is visible again after the visibility timeout. The functions are idempotent
 * (the agent-invoker on answerId, onAnswerEvent by conditional writes), so a redriven event that had
 * been processed after all is not processed twice.
 */
export const redriveDeadLetters = async (
  clients: DlqClients,
  name: string,
  options: { max?: number; dryRun?: boolean } = {},
): Promise<RedriveResult> => {
  const url = await queueUrl(clients.sqs, name);
  const messages = await receive(clients.sqs, url, options.max ?? 100, 60);
  const result: RedriveResult = { redriven: [], kept: [] };
  for (const message of messages) {
    const deadLetter = parseDeadLetter(message);
    if (!deadLetter || options.dryRun) {
      await clients.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      if (deadLetter) result.redriven.push(deadLetter);
      else
        result.kept.push({
          messageId: message.MessageId ?? '',
          why: 'not a dead letter EventBridge or Lambda writes',
        });
      continue;
    }
    try {
      const output = await clients.lambda.send(
        new InvokeCommand({
          FunctionName: deadLetter.functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(deadLetter.payload)),
        }),
      );
      if (output.StatusCode !== 202) throw new Error(`Invoke answered ${output.StatusCode}`);
    } catch (error) {
      result.kept.push({
        messageId: deadLetter.messageId,
        why: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    result.redriven.push(deadLetter);
  }
  return result;
};
