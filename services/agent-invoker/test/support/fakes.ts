import type { ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { EventDetailInput } from '@tenant-assistant/contracts/events';
import { newAnswerId, type UserId } from '@tenant-assistant/tenant-context';
import { SESSION_ATTRIBUTE_KEYS } from '@tenant-assistant/tenant-context/credentials';
import { eventBridgeEvent, randomTenantId, randomUserId } from '@tenant-assistant/testing';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { Config } from '../../src/config';
import type { PromptEvent } from '../../src/domain/idempotent-answer';

/** A configuration as serverless.yml would set it. */
export const testConfig: Config = Object.freeze({
  agentId: 'AGENT12345',
  agentAliasId: 'ALIAS12345',
  agentAliasIds: { premium: 'PREMIUM123' },
  usageTableName: 'tenant-assistant-chat-api-test-usage',
  eventBusName: 'tenant-assistant-test',
  idempotencyTableName: 'tenant-assistant-agent-invoker-test-idempotency',
  tenantDataAccessRoleArn:
    'arn:aws:iam::123456789012:role/tenant-assistant-order-action-group-test-data-access',
  tenantConfigTableArn:
    'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-assistant-order-action-group-test-tenant-config',
  ordersTableArnPrefix:
    'arn:aws:dynamodb:us-east-1:123456789012:table/tenant-assistant-order-action-group-test-orders-',
  streamFinalResponse: true,
  cognitoUserPoolId: 'us-east-1_TestPool1',
});

/** Tenant of each user that {@link promptDetail} made (what the fake user pool knows). */
export const memberships = new Map<string, string>();

/**
 * A Cognito user pool fake for `AdminGetUser` by sub: every user {@link promptDetail} made is a
 * member of the tenant it was made for; any other sub does not exist.
 */
export const fakeUserPool = (cognito: AwsClientStub<CognitoIdentityProviderClient>) => {
  cognito.on(AdminGetUserCommand).callsFake(async (input: { Username: string }) => {
    const tenantId = memberships.get(input.Username);
    if (!tenantId) throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    return {
      Username: input.Username,
      Enabled: true,
      UserAttributes: [
        { Name: 'sub', Value: input.Username },
        { Name: 'custom:tenantId', Value: tenantId },
      ],
    };
  });
};

/** A PromptSubmitted detail for a fresh (or the given) tenant and user. */
export const promptDetail = (
  overrides: Partial<EventDetailInput<'PromptSubmitted'>> = {},
): EventDetailInput<'PromptSubmitted'> => {
  const userId = overrides.userId ?? randomUserId();
  const tenantId = overrides.tenantId ?? randomTenantId();
  if (typeof userId === 'string' && typeof tenantId === 'string' && !memberships.has(userId)) {
    memberships.set(userId, tenantId);
  }
  return {
    tenantId,
    userId,
    answerId: newAnswerId(userId as UserId),
    conversationId: 'conv-01JHB3Y8Z4K2N5P7Q9R1S3T5V6',
    prompt: 'Can I still return order o-1001?',
    submittedAt: '2026-01-15T10:00:00.000Z',
    ...overrides,
  };
};

/**
 * The InvokeAgent request for a prompt: the session of its user and conversation, the identity and
 * the scoped credentials only in sessionAttributes, the final response streamed.
 */
export const invokeAgentRequest = (
  agent: { agentId: string; agentAliasId: string },
  detail: { userId: string; tenantId: string; conversationId: string; prompt: string },
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
  expiration: unknown,
) => ({
  agentId: agent.agentId,
  agentAliasId: agent.agentAliasId,
  sessionId: `${detail.userId}.${detail.conversationId}`,
  inputText: detail.prompt,
  enableTrace: true,
  sessionState: {
    sessionAttributes: {
      [SESSION_ATTRIBUTE_KEYS.tenantId]: detail.tenantId,
      [SESSION_ATTRIBUTE_KEYS.userId]: detail.userId,
      [SESSION_ATTRIBUTE_KEYS.accessKeyId]: credentials.accessKeyId,
      [SESSION_ATTRIBUTE_KEYS.secretAccessKey]: credentials.secretAccessKey,
      [SESSION_ATTRIBUTE_KEYS.sessionToken]: credentials.sessionToken,
      [SESSION_ATTRIBUTE_KEYS.expiration]: expiration,
    },
    promptSessionAttributes: { currentDate: '2026-01-15' },
  },
  streamingConfigurations: { streamFinalResponse: true },
});

/**
 * A PromptSubmitted event as EventBridge delivers it to the function, typed as the handler's event
 * (the middlewares validate it and turn it into a PromptEvent).
 */
export const promptEvent = (detail: unknown = promptDetail()): PromptEvent =>
  eventBridgeEvent({
    detailType: 'PromptSubmitted',
    source: 'tenant-assistant.chat-api',
    detail,
  }) as unknown as PromptEvent;

/** A controllable clock, milliseconds since epoch. */
export const fakeClock = (start = Date.parse('2026-01-15T10:00:01.000Z')) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

/** A sleep that returns at once and remembers what it was asked to wait. */
export const fakeSleep = () => {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { sleep, delays };
};

/** One step of a fake agent response stream. */
export type StreamStep =
  | string
  | { text: string; afterMs: number }
  | { event: ResponseStream }
  | { fail: Error }
  | { waitFor: Promise<unknown> };

/**
 * An InvokeAgent `completion` stream: strings become `chunk` events; `afterMs` advances the fake
 * clock before the chunk; `fail` throws mid-stream; `waitFor` stalls until the promise settles.
 */
export const agentStream = (steps: StreamStep[], clock?: { advance: (ms: number) => void }) => {
  async function* generate(): AsyncGenerator<ResponseStream> {
    for (const step of steps) {
      if (typeof step === 'string') {
        yield { chunk: { bytes: new TextEncoder().encode(step) } };
      } else if ('text' in step) {
        clock?.advance(step.afterMs);
        yield { chunk: { bytes: new TextEncoder().encode(step.text) } };
      } else if ('event' in step) {
        yield step.event;
      } else if ('fail' in step) {
        throw step.fail;
      } else {
        await step.waitFor;
      }
    }
  }
  return { completion: generate(), contentType: 'application/json', sessionId: 'session' };
};

/** Details of the events published with PutEvents, in order, with their detail-type. */
export const publishedEvents = (eventBridge: AwsClientStub<EventBridgeClient>) =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => (call.args[0].input.Entries ?? []) as PutEventsRequestEntry[])
    .map((entry) => ({
      detailType: entry.DetailType,
      source: entry.Source,
      bus: entry.EventBusName,
      detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
    }));

type Item = Record<string, AttributeValue>;

/**
 * An in-memory DynamoDB table behind a mocked DynamoDBClient, implementing exactly what the
 * Powertools DynamoDB persistence layer sends: a conditional PutItem (refused while a record is
 * unexpired, unless it is an in-progress record whose lock expired), UpdateItem `SET`, GetItem
 * and DeleteItem.
 */
export const fakeIdempotencyTable = (dynamodb: AwsClientStub<DynamoDBClient>) => {
  const items = new Map<string, Item>();
  const keyOf = (key: Item | undefined) => key?.id?.S ?? '';
  dynamodb.on(PutItemCommand).callsFake((input: { Item: Item; ExpressionAttributeValues?: Item }) => {
    const existing = items.get(keyOf(input.Item));
    if (existing) {
      const values = input.ExpressionAttributeValues ?? {};
      const now = Number(values[':now']?.N);
      const nowMs = Number(values[':now_in_millis']?.N);
      const expired = Number(existing.expiration?.N) < now;
      const lockExpired =
        existing.status?.S === 'INPROGRESS' &&
        existing.in_progress_expiration !== undefined &&
        Number(existing.in_progress_expiration.N) < nowMs;
      if (!expired && !lockExpired) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: { httpStatusCode: 400 },
          Item: existing,
        });
      }
    }
    items.set(keyOf(input.Item), input.Item);
    return {};
  });
  dynamodb
    .on(UpdateItemCommand)
    .callsFake(
      (input: {
        Key: Item;
        UpdateExpression: string;
        ExpressionAttributeNames: Record<string, string>;
        ExpressionAttributeValues: Item;
      }) => {
        const item: Item = { ...(items.get(keyOf(input.Key)) ?? input.Key) };
        for (const [, name, value] of input.UpdateExpression.matchAll(/(#\w+)\s*=\s*(:\w+)/g)) {
          const attribute = input.ExpressionAttributeNames[name as string];
          const attributeValue = input.ExpressionAttributeValues[value as string];
          if (attribute && attributeValue) item[attribute] = attributeValue;
        }
        items.set(keyOf(input.Key), item);
        return {};
      },
    );
  dynamodb.on(GetItemCommand).callsFake((input: { Key: Item }) => ({ Item: items.get(keyOf(input.Key)) }));
  dynamodb.on(DeleteItemCommand).callsFake((input: { Key: Item }) => {
    items.delete(keyOf(input.Key));
    return {};
  });
  return items;
};
