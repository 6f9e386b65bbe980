import type { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import middy, { type MiddlewareObj } from '@middy/core';
import {
  AnswerOwnershipError,
  InvalidEventError,
  PutEventsFailedError,
  type TenantContext,
} from '@tenant-assistant/tenant-context';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import { captureLogs, eventBridgeEvent, type LogLine, lambdaContext } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { otherUserId, validDetails } from '../test/details';
import { type ContractEventWithTenant, eventTenantContext, putEvents } from './eventbridge';
import { buildEvent, EVENT_SOURCES, type OutgoingEvent } from './events';

const run = captureLogs;
const tenantKeysOf = (line: LogLine | undefined) => ({ tenant_id: line?.tenant_id, user_id: line?.user_id });
const userA = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
const userB = '0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f';

describe('putEvents', () => {
  const eventBridgeMock = mockClient(EventBridgeClient);
  const client = new EventBridgeClient({ region: 'us-east-1' });
  const chunks = (count: number): OutgoingEvent[] =>
    Array.from({ length: count }, (_, seq) => ({
      detailType: 'AnswerChunk',
      detail: { ...validDetails.AnswerChunk, seq },
    }));

  beforeEach(() => {
    eventBridgeMock.reset();
  });

  it('sends the validated entries', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });

    // Act
    await putEvents(client, 'tenant-assistant-dev', [
      { detailType: 'AnswerFailed', detail: validDetails.AnswerFailed },
    ]);

    // Assess
    const calls = eventBridgeMock.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.Entries).toEqual([
      buildEvent('AnswerFailed', validDetails.AnswerFailed, { eventBusName: 'tenant-assistant-dev' }),
    ]);
  });

  it('sends batches of at most 10 entries, in order', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

    // Act
    await putEvents(client, 'bus', chunks(25));

    // Assess
    const batches = eventBridgeMock
      .commandCalls(PutEventsCommand)
      .map((call) => call.args[0].input.Entries ?? []);
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    const seqs = batches.flat().map((entry) => (JSON.parse(entry.Detail ?? '{}') as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, seq) => seq));
  });

  it('sends nothing for no events', async () => {
    // Act / Assess
    await putEvents(client, 'bus', []);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('sends nothing when any event breaks the contract', async () => {
    // Prepare
    const events: OutgoingEvent[] = [
      ...chunks(12),
      { detailType: 'AnswerCompleted', detail: { ...validDetails.AnswerCompleted, userId: otherUserId } },
    ];

    // Act / Assess
    await expect(putEvents(client, 'bus', events)).rejects.toThrow(AnswerOwnershipError);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('turns FailedEntryCount into a PutEventsFailedError naming the rejected entries', async () => {
    // Prepare
    eventBridgeMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: Array.from({ length: 10 }, () => ({ EventId: 'ok' })) })
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'ok' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' },
          { EventId: 'ok' },
          { ErrorCode: 'ThrottlingException' },
        ],
      });

    // Act
    const error = await putEvents(client, 'bus', chunks(14)).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(PutEventsFailedError);
    expect((error as PutEventsFailedError).failedEntries).toEqual([
      { index: 11, errorCode: 'InternalFailure', errorMessage: 'try again' },
      { index: 13, errorCode: 'ThrottlingException' },
    ]);
    expect(error).toMatchObject({ statusCode: 500, expose: false });
  });

  it('reports the batch when EventBridge counts failures without naming them', async () => {
    // Prepare
    eventBridgeMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0 })
      .resolvesOnce({ FailedEntryCount: 1 });

    // Act
    const error = await putEvents(client, 'bus', chunks(11)).catch((caught: unknown) => caught);

    // Assess
    expect((error as PutEventsFailedError).failedEntries).toEqual([{ index: 10 }]);
  });

  it('treats an answer without FailedEntryCount as success', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({});

    // Act / Assess
    await expect(putEvents(client, 'bus', chunks(3))).resolves.toBeUndefined();
  });

  it('propagates a failed call', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('network down'));

    // Act / Assess
    await expect(putEvents(client, 'bus', chunks(1))).rejects.toThrow('network down');
  });
});

describe('eventTenantContext', () => {
  let logger: Logger;
  let seen: { tenant?: TenantContext; detail: unknown }[];
  const answerId = `${userA}.01JD0000000000000000000000`;
  const promptDetail = {
    tenantId: 'tenant-a',
    userId: userA,
    answerId,
    conversationId: '01JD0000000000000000000001',
    prompt: 'Where is my order?',
    submittedAt: '2025-01-01T12:00:00.000Z',
  };
  const prompt = (detail: unknown = promptDetail) =>
    eventBridgeEvent({ detailType: 'PromptSubmitted', source: EVENT_SOURCES.chatApi, detail });
  const onboarded = eventBridgeEvent({
    detailType: 'TenantOnboarded',
    source: EVENT_SOURCES.auth,
    detail: { tenantId: 'tenant-c', name: 'Tenant C', returnPolicyDays: 20, tier: 'basic' },
  });

  const makeHandler = (options: { fail?: boolean; withLogger?: boolean } = {}) =>
    middy(async (event: { tenant?: TenantContext; detail: unknown }) => {
      seen.push({ tenant: event.tenant, detail: event.detail });
      logger.info('handling');
      if (options.fail) throw new Error('handler failed');
      return 'done';
    }).use(
      eventTenantContext({
        accept: ['PromptSubmitted', 'TenantOnboarded'],
        ...(options.withLogger === false ? {} : { logger }),
      }) as MiddlewareObj,
    );

  beforeEach(() => {
    logger = createLogger({ serviceName: 'middleware-test' });
    seen = [];
  });

  it('sets the tenant and the parsed detail, and logs the tenant keys', async () => {
    // Act
    const { value, lines } = await run(() =>
      makeHandler()(prompt({ ...promptDetail, extra: 'dropped' }), lambdaContext()),
    );

    // Assess
    expect(value).toBe('done');
    expect(seen).toEqual([{ tenant: { tenantId: 'tenant-a', userId: userA }, detail: promptDetail }]);
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: 'tenant-a', user_id: userA });
  });

  it('types tenant-level events without a tenant and user-level events with one', () => {
    // Compile-time checks: these functions only type-check if the event types are right.
    const tenantOfOnboarded = (event: ContractEventWithTenant<'TenantOnboarded'>): undefined => event.tenant;
    const tenantOfPrompt = (event: ContractEventWithTenant<'PromptSubmitted'>): TenantContext => event.tenant;
    const tenantOfEither = (
      event: ContractEventWithTenant<'PromptSubmitted' | 'TenantOnboarded'>,
    ): TenantContext | undefined => event.tenant;

    expect([tenantOfOnboarded, tenantOfPrompt, tenantOfEither].every((fn) => typeof fn === 'function')).toBe(
      true,
    );
  });

  it('sets only the tenant log key for a tenant-level event, dropping a previous user key', async () => {
    // Prepare
    logger.appendKeys({ tenant_id: 'tenant-stale', user_id: userB });

    // Act
    const { lines } = await run(() => makeHandler()(onboarded, lambdaContext()));

    // Assess
    expect(seen[0]?.tenant).toBeUndefined();
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: 'tenant-c', user_id: undefined });
  });

  it.each([
    [
      'a detail-type it does not accept',
      eventBridgeEvent({ detailType: 'AnswerChunk', source: EVENT_SOURCES.agentInvoker, detail: {} }),
    ],
    [
      'the wrong source',
      eventBridgeEvent({
        detailType: 'PromptSubmitted',
        source: EVENT_SOURCES.agentInvoker,
        detail: promptDetail,
      }),
    ],
    ['an invalid detail', prompt({ ...promptDetail, tenantId: '*' })],
  ])('refuses %s without calling the handler', async (_label, event) => {
    // Act
    const { error } = await run(() => makeHandler()(event, lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(seen).toEqual([]);
  });

  it('refuses an answer not owned by its user and logs a security event without the event', async () => {
    // Act
    const { error, lines, output } = await run(() =>
      makeHandler()(prompt({ ...promptDetail, userId: userB }), lambdaContext()),
    );

    // Assess
    expect(error).toBeInstanceOf(AnswerOwnershipError);
    expect(seen).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        security_event: 'ANSWER_OWNERSHIP_MISMATCH',
        detail_type: 'PromptSubmitted',
        source: EVENT_SOURCES.chatApi,
      }),
    ]);
    expect(output).not.toContain('Where is my order?');
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('never shows the first tenant to a second invocation, even after the handler threw', async () => {
    // Prepare
    const handler = makeHandler({ fail: true });
    const first = await run(() => handler(prompt(), lambdaContext()));

    // Act
    const second = await run(() => handler(onboarded, lambdaContext()));
    const after = await run(async () => logger.info('after'));

    // Assess
    expect(first.error).toEqual(new Error('handler failed'));
    expect(seen[1]?.tenant).toBeUndefined();
    expect(second.output).not.toContain('"tenant-a"');
    expect(second.output).not.toContain(userA);
    expect(tenantKeysOf(after.lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('removes the tenant log keys after a successful invocation', async () => {
    // Prepare
    await run(() => makeHandler()(prompt(), lambdaContext()));

    // Act
    const { lines } = await run(async () => logger.info('after'));

    // Assess
    expect(tenantKeysOf(lines[0])).toEqual({ tenant_id: undefined, user_id: undefined });
  });

  it('works with the default logger, which also reports ownership mismatches', async () => {
    // Act
    const accepted = await run(() => makeHandler({ withLogger: false })(prompt(), lambdaContext()));
    const refused = await run(() =>
      makeHandler({ withLogger: false })(prompt({ ...promptDetail, userId: userB }), lambdaContext()),
    );

    // Assess
    expect(accepted.error).toBeUndefined();
    expect(refused.error).toBeInstanceOf(AnswerOwnershipError);
    expect(refused.output).toContain('ANSWER_OWNERSHIP_MISMATCH');
  });
});
