import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { TenantTier } from '@tenant-assistant/tenant-context/tiers';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { createTokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { createTestIssuer, httpApiEvent, type TestIssuer } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { createAnswersTable } from '../../src/adapters/answers-table';
import { createPromptLimiter } from '../../src/adapters/rate-limit-table';
import { createUsageReader } from '../../src/adapters/usage-table';
import type { Deps } from '../../src/functions/submitPrompt/handler';
import { WEB_ORIGIN } from './http';

/**
 * The submitPrompt handler's test set-up: mocked DynamoDB and EventBridge, a trusted test issuer and
 * the handler's dependencies over them (tests override what they exercise).
 */
export const ddb = mockClient(DynamoDBDocumentClient);
export const eventBridge = mockClient(EventBridgeClient);
export const NOW = new Date('2025-03-01T12:00:30.000Z');
export const BUS = 'tenant-assistant-test';

export let issuer: TestIssuer;
export let verifier: TokenVerifier;

/**
 * Set-up of every test in a file that imports this module (its hooks register on import):
 * a test issuer the handler trusts, and mocks where writes succeed and no tenant usage is stored yet.
 */
beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = createTokenVerifier(issuer.preloaded);
});

beforeEach(() => {
  ddb.reset();
  eventBridge.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

export const makeDeps = (overrides: Partial<Deps> & { tier?: TenantTier } = {}): Deps => {
  const { tier = 'premium', ...rest } = overrides;
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const eventBridgeClient = new EventBridgeClient({});
  return {
    verifier,
    logger: createLogger({ serviceName: 'chat-api', logLevel: 'SILENT' }),
    webOrigins: () => [WEB_ORIGIN],
    answers: createAnswersTable(documentClient, {
      answers: () => 'answers',
      conversations: () => 'conversations',
    }),
    tiers: { tierOf: async () => tier },
    limiter: createPromptLimiter(documentClient, { tableName: () => 'rate-limits', slotSeconds: () => 240 }),
    usage: createUsageReader(documentClient, () => 'usage'),
    metrics: { accepted: () => {}, throttled: () => {} },
    publish: (events) => putEvents(eventBridgeClient, BUS, events),
    clock: () => NOW,
    newId: ulid,
    answerTtlDays: () => 30,
    answerDeadlineSeconds: () => 240,
    ...rest,
  };
};

export const post = (opts: {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  claims?: Record<string, unknown>;
}) =>
  httpApiEvent({
    method: 'POST',
    path: '/prompts',
    ...opts,
    headers: { origin: WEB_ORIGIN, ...opts.headers },
  });

export const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
export const transactWrites = () => ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
/** The limit transactions (each admitted prompt's counters and in-flight slot). */
export const transactions = () =>
  transactWrites().filter((input) => input.TransactItems?.[0]?.Update?.TableName === 'rate-limits');
/** The answers stored (the Put of each create transaction). */
export const answerWrites = () =>
  transactWrites().flatMap((input) => {
    const put = input.TransactItems?.[0]?.Put;
    return put ? [put] : [];
  });
export const answerUpdates = () =>
  ddb.commandCalls(UpdateCommand, { TableName: 'answers' }).map((call) => call.args[0].input);
export const publishedEntries = () =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

/** Asserts that the in-flight slot `answerId` took in `tenantId`'s counter was released. */
export const expectSlotReleased = (tenantId: string, answerId: unknown) =>
  expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toMatchObject({
    Key: { pk: `inflight#${tenantId}` },
    UpdateExpression: 'REMOVE slots.#answer',
    ExpressionAttributeNames: { '#answer': answerId },
  });
