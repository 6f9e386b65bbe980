import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { BodyTooLargeError, type ListenOptions, type LocalEndpoint, readBody } from '../common/net';
import { AwsJsonFault, isJsonObject, parseJson, sendAwsJson, serveStandIn } from '../common/server';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../iam/types';

/** One message as the stand-in keeps it. */
export interface StoredMessage {
  messageId: string;
  receiptHandle?: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, string>;
  /** Message attributes (string values only, as the dead-letter producers send them). */
  messageAttributes: Record<string, string>;
  sentAt: number;
  receiveCount: number;
  /** Invisible until this instant (ms since epoch) after a receive. */
  invisibleUntil: number;
}

interface Queue {
  name: string;
  createdAt: number;
  messageRetentionSeconds: number;
  messages: StoredMessage[];
}

export interface LocalSqsOptions extends ListenOptions {
  /** Queues created at start (names; existing ones keep their messages). */
  queues?: readonly { name: string; messageRetentionSeconds?: number }[];
  /** JSON file the queues and their messages are kept in across restarts; in memory when absent. */
  dataFile?: string;
  accountId?: string;
  region?: string;
  now?: () => number;
}

export interface LocalSqs extends LocalEndpoint {
  /** Sends a message to the queue with this ARN or name (in process, as an AWS service would). */
  send(queue: string, message: { body: string; messageAttributes?: Record<string, string> }): string;
  /** The messages of one queue, visible or not (for tests and the dlq tool). */
  messages(queue: string): readonly StoredMessage[];
  /** `arn:aws:sqs:<region>:<account>:<name>` of a queue name. */
  arnOf(name: string): string;
}

type Json = Record<string, unknown>;
const isRecord = isJsonObject;

class SqsFault extends AwsJsonFault {}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BODY = 256 * 1024;

/**
 * LOCAL STAND-IN for Amazon SQS (AWS JSON 1.0 protocol, `X-Amz-Target: AmazonSQS.<Action>`, which
 * `@aws-sdk/client-sqs` speaks), just enough to hold the dead-letter queues the services declare:
 * CreateQueue, GetQueueUrl, ListQueues, GetQueueAttributes, SendMessage, ReceiveMessage (visibility
 * timeout, receive count), DeleteMessage, ChangeMessageVisibility, PurgeQueue. With `dataFile`, queues
 * and messages are written to disk after every change and read back at start (they survive restarts
 * like the local DynamoDB data). No FIFO queues, redrive policies, long polling, batches or signatures.
 */
export const startLocalSqs = async (options: LocalSqsOptions = {}): Promise<LocalSqs> => {
  const now = options.now ?? Date.now;
  const account = options.accountId ?? LOCAL_ACCOUNT_ID;
  const region = options.region ?? LOCAL_REGION;
  const queues = new Map<string, Queue>();

  if (options.dataFile && existsSync(options.dataFile)) {
    const saved = JSON.parse(readFileSync(options.dataFile, 'utf8')) as { queues?: Queue[] };
    for (const queue of saved.queues ?? []) queues.set(queue.name, queue);
  }
  const persist = () => {
    if (!options.dataFile) return;
    mkdirSync(dirname(options.dataFile), { recursive: true });
    const temporary = `${options.dataFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ queues: [...queues.values()] }));
    renameSync(temporary, options.dataFile); // never a half-written file
  };
  const createQueue = (name: string, messageRetentionSeconds = 345_600) => {
    if (!QUEUE_NAME.test(name)) {
      throw new SqsFault(
        400,
        'InvalidParameterValue',
        `Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length`,
      );
    }
    if (!queues.has(name)) {
      queues.set(name, { name, createdAt: now(), messageRetentionSeconds, messages: [] });
      persist();
    }
    return queues.get(name) as Queue;
  };
  for (const queue of options.queues ?? []) createQueue(queue.name, queue.messageRetentionSeconds);

  let baseUrl = '';
  const urlOf = (name: string) => `${baseUrl}/${account}/${name}`;
  const arnOf = (name: string) => `arn:aws:sqs:${region}:${account}:${name}`;
  /** A queue by URL, ARN or name. */
  const queueOf = (reference: unknown): Queue => {
    const text = typeof reference === 'string' ? reference : '';
    const name = text.split(/[/:]/).at(-1) ?? '';
    const queue = queues.get(name);
    if (!queue) {
      throw new SqsFault(
        400,
        'AWS.SimpleQueueService.NonExistentQueue',
        'The specified queue does not exist.',
      );
    }
    return queue;
  };
  const expire = (queue: Queue) => {
    const oldest = now() - queue.messageRetentionSeconds * 1000;
    const kept = queue.messages.filter((message) => message.sentAt >= oldest);
    if (kept.length !== queue.messages.length) {
      queue.messages = kept;
      persist();
    }
  };

  const sendMessage = (queue: Queue, body: string, messageAttributes: Record<string, string>) => {
    if (body === '')
      throw new SqsFault(400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body, 'utf8') > MAX_BODY) {
      throw new SqsFault(
        400,
        'InvalidParameterValue',
        'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.',
      );
    }
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      attributes: {},
      messageAttributes,
      sentAt: now(),
      receiveCount: 0,
      invisibleUntil: 0,
    };
    queue.messages.push(message);
    persist();
    return message;
  };

  const stringAttributes = (value: unknown): Record<string, string> => {
    if (!isRecord(value)) return {};
    const result: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(value)) {
      if (isRecord(attribute) && typeof attribute.StringValue === 'string')
        result[name] = attribute.StringValue;
    }
    return result;
  };

  const actions: Record<string, (body: Json) => Json> = {
    CreateQueue: (body) => {
      const attributes = isRecord(body.Attributes) ? body.Attributes : {};
      const retention = Number(attributes.MessageRetentionPeriod ?? 345_600);
      const queue = createQueue(String(body.QueueName ?? ''), retention);
      return { QueueUrl: urlOf(queue.name) };
    },
    GetQueueUrl: (body) => ({ QueueUrl: urlOf(queueOf(body.QueueName).name) }),
    ListQueues: (body) => {
      const prefix = typeof body.QueueNamePrefix === 'string' ? body.QueueNamePrefix : '';
      return {
        QueueUrls: [...queues.keys()].filter((name) => name.startsWith(prefix)).map(urlOf),
      };
    },
    GetQueueAttributes: (body) => {
      const queue = queueOf(body.QueueUrl);
      expire(queue);
      const at = now();
      const visible = queue.messages.filter((message) => message.invisibleUntil <= at).length;
      return {
        Attributes: {
          QueueArn: arnOf(queue.name),
          ApproximateNumberOfMessages: String(visible),
          ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
          CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
          MessageRetentionPeriod: String(queue.messageRetentionSeconds),
        },
      };
    },
    SendMessage: (body) => {
      const message = sendMessage(
        queueOf(body.QueueUrl),
        typeof body.MessageBody === 'string' ? body.MessageBody : '',
        stringAttributes(body.MessageAttributes),
      );
      return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
    },
    ReceiveMessage: (body) => {
      const queue = queueOf(body.QueueUrl);
      expire(queue);
      const max = Number(body.MaxNumberOfMessages ?? 1);
      if (!Number.isInteger(max) || max < 1 || max > 10) {
        throw new SqsFault(
          400,
          'InvalidParameterValue',
          'Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10.',
        );
      }
      const visibility = Number(body.VisibilityTimeout ?? 30);
      const at = now();
      const received = queue.messages.filter((message) => message.invisibleUntil <= at).slice(0, max);
      for (const message of received) {
        message.receiveCount += 1;
        message.receiptHandle = randomUUID();
        message.invisibleUntil = at + visibility * 1000;
      }
      if (received.length > 0) persist();
      return {
        Messages: received.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: message.md5OfBody,
          Body: message.body,
          Attributes: {
            ApproximateReceiveCount: String(message.receiveCount),
            SentTimestamp: String(message.sentAt),
          },
          MessageAttributes: Object.fromEntries(
            Object.entries(message.messageAttributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        })),
      };
    },
    DeleteMessage: (body) => {
      const queue = queueOf(body.QueueUrl);
      const index = queue.messages.findIndex((message) => message.receiptHandle === body.ReceiptHandle);
      if (index < 0)
        throw new SqsFault(400, 'ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
      queue.messages.splice(index, 1);
      persist();
      return {};
    },
    ChangeMessageVisibility: (body) => {
      const queue = queueOf(body.QueueUrl);
      const message = queue.messages.find((m) => m.receiptHandle === body.ReceiptHandle);
      if (!message) throw new SqsFault(400, 'ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
      message.invisibleUntil = now() + Number(body.VisibilityTimeout ?? 0) * 1000;
      persist();
      return {};
    },
    PurgeQueue: (body) => {
      queueOf(body.QueueUrl).messages = [];
      persist();
      return {};
    },
  };

  const send = (res: ServerResponse, status: number, body: Json) =>
    sendAwsJson(
      res,
      status,
      body,
      'application/x-amz-json-1.0',
      status >= 400 ? { 'x-amzn-query-error': `${String(body.__type)};Sender` } : {},
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const raw = await readBody(req, MAX_BODY * 2);
      const action = actions[target.replace(/^AmazonSQS\./, '')];
      if (!target.startsWith('AmazonSQS.') || !action) {
        throw new SqsFault(
          400,
          'InvalidAction',
          `The local SQS stand-in does not support ${target || 'this request'}`,
        );
      }
      const body = parseJson(raw);
      if (!body.ok) throw new SqsFault(400, 'SerializationException', 'The request body is not valid JSON.');
      send(res, 200, action(isRecord(body.value) ? body.value : {}));
    } catch (error) {
      if (error instanceof SqsFault) send(res, error.status, { __type: error.type, message: error.message });
      else if (error instanceof BodyTooLargeError)
        send(res, 413, { __type: 'InvalidParameterValue', message: 'Request too large' });
      else send(res, 500, { __type: 'InternalError', message: 'The local SQS stand-in failed.' });
    }
  };

  const { url, close: closeServer } = await serveStandIn(options, handle);
  baseUrl = url;

  return {
    url,
    send: (queue, message) =>
      sendMessage(queueOf(queue), message.body, message.messageAttributes ?? {}).messageId,
    messages: (queue) => [...queueOf(queue).messages],
    arnOf,
    close: closeServer,
  };
};
