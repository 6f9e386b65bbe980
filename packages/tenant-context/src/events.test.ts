import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeEvent } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { AnswerOwnershipError, InvalidEventError, PutEventsFailedError } from './errors';
import {
  ANSWER_FAILURE_REASONS,
  buildEvent,
  DETAIL_TYPES,
  type DetailType,
  detailSchemas,
  EVENT_PRODUCERS,
  EVENT_SOURCES,
  type EventDetailInput,
  MAX_ANSWER_LENGTH,
  MAX_CHUNK_LENGTH,
  MAX_CHUNKS_PER_ANSWER,
  MAX_PROMPT_LENGTH,
  type OutgoingEvent,
  parseContractEvent,
  parseDetail,
  putEvents,
  TENANT_TIERS,
} from './events';

/** An IAM policy variable such as `${aws:PrincipalTag/tenantId}` (built so it is not a template). */
const policyVariable = (name: string): string => `$\{${name}}`;

const userId = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
const otherUserId = '0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f';
const answerId = `${userId}.01JD0000000000000000000000`;
const owned = { tenantId: 'tenant1', userId, answerId };

const validDetails: { [T in DetailType]: EventDetailInput<T> } = {
  PromptSubmitted: {
    ...owned,
    conversationId: '01JD0000000000000000000001',
    prompt: 'Where is my order?',
    submittedAt: '2025-01-01T12:00:00.000Z',
  },
  AnswerChunk: { ...owned, seq: 0, text: 'Your order' },
  AnswerCompleted: { ...owned, text: 'Your order ships tomorrow.' },
  AnswerFailed: { ...owned, reason: ANSWER_FAILURE_REASONS.unavailable },
  TenantOnboarded: { tenantId: 'tenant1', name: 'Tenant One', returnPolicyDays: 30, tier: 'premium' },
  TenantUpdated: { tenantId: 'tenant1', name: 'Tenant One', returnPolicyDays: 14, tier: 'basic' },
  TenantSuspended: { tenantId: 'tenant1' },
  TenantResumed: { tenantId: 'tenant1' },
};
const detailTypes = Object.keys(DETAIL_TYPES) as DetailType[];
const answerDetailTypes = detailTypes.filter((type) => !type.startsWith('Tenant'));

const received = (detailType: DetailType, detail: unknown = validDetails[detailType]) =>
  eventBridgeEvent({ detailType, source: EVENT_PRODUCERS[detailType], detail });

describe('detailSchemas', () => {
  it.each(detailTypes)('accepts a valid %s detail', (detailType) => {
    expect(detailSchemas[detailType].safeParse(validDetails[detailType]).success).toBe(true);
  });

  it.each(answerDetailTypes)('refuses a %s detail with an invalid tenant or user', (detailType) => {
    for (const patch of [
      { tenantId: '*' },
      { tenantId: undefined },
      { userId: 'abc' },
      { userId: undefined },
    ]) {
      expect(detailSchemas[detailType].safeParse({ ...validDetails[detailType], ...patch }).success).toBe(
        false,
      );
    }
  });

  it('bounds the prompt to 1..MAX_PROMPT_LENGTH characters', () => {
    const schema = detailSchemas.PromptSubmitted;
    expect(schema.safeParse({ ...validDetails.PromptSubmitted, prompt: '' }).success).toBe(false);
    expect(
      schema.safeParse({ ...validDetails.PromptSubmitted, prompt: 'x'.repeat(MAX_PROMPT_LENGTH) }).success,
    ).toBe(true);
    expect(
      schema.safeParse({ ...validDetails.PromptSubmitted, prompt: 'x'.repeat(MAX_PROMPT_LENGTH + 1) })
        .success,
    ).toBe(false);
  });

  it('refuses conversation ids that would not fit a Bedrock session id', () => {
    const schema = detailSchemas.PromptSubmitted;
    for (const conversationId of ['', 'x'.repeat(64), 'a/b', 'a.b', 'a b']) {
      expect(schema.safeParse({ ...validDetails.PromptSubmitted, conversationId }).success).toBe(false);
    }
    expect(
      schema.safeParse({ ...validDetails.PromptSubmitted, conversationId: 'x'.repeat(63) }).success,
    ).toBe(true);
  });

  it('refuses a submittedAt that is not an ISO datetime', () => {
    expect(
      detailSchemas.PromptSubmitted.safeParse({ ...validDetails.PromptSubmitted, submittedAt: 'yesterday' })
        .success,
    ).toBe(false);
  });

  it('refuses a negative or fractional chunk sequence', () => {
    expect(detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, seq: -1 }).success).toBe(false);
    expect(detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, seq: 1.5 }).success).toBe(
      false,
    );
  });

  it('refuses a chunk sequence beyond the limit of chunks per answer', () => {
    const chunk = (seq: number) => detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, seq });
    expect(chunk(MAX_CHUNKS_PER_ANSWER - 1).success).toBe(true);
    expect(chunk(MAX_CHUNKS_PER_ANSWER).success).toBe(false);
    expect(chunk(Number.MAX_SAFE_INTEGER).success).toBe(false);
  });

  it('bounds chunk and answer text to the contract limits', () => {
    const chunk = (text: string) =>
      detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, text });
    const completed = (text: string) =>
      detailSchemas.AnswerCompleted.safeParse({ ...validDetails.AnswerCompleted, text });
    expect(chunk('x'.repeat(MAX_CHUNK_LENGTH)).success).toBe(true);
    expect(chunk('x'.repeat(MAX_CHUNK_LENGTH + 1)).success).toBe(false);
    expect(chunk('').success).toBe(false);
    expect(completed('x'.repeat(MAX_ANSWER_LENGTH)).success).toBe(true);
    expect(completed('x'.repeat(MAX_ANSWER_LENGTH + 1)).success).toBe(false);
    expect(completed('x'.repeat(200_000)).success).toBe(false);
  });

  it('accepts each safe failure reason and refuses any other text', () => {
    const failed = (reason: string) =>
      detailSchemas.AnswerFailed.safeParse({ ...validDetails.AnswerFailed, reason });
    for (const reason of Object.values(ANSWER_FAILURE_REASONS)) expect(failed(reason).success).toBe(true);
    expect(failed('').success).toBe(false);
    expect(failed('Your session expired: sign in again at https://evil.example').success).toBe(false);
    expect(failed(`${ANSWER_FAILURE_REASONS.unavailable} `).success).toBe(false);
  });

  it('accepts every tenant tier and nothing else', () => {
    for (const tier of TENANT_TIERS) {
      expect(detailSchemas.TenantOnboarded.safeParse({ ...validDetails.TenantOnboarded, tier }).success).toBe(
        true,
      );
    }
    expect(
      detailSchemas.TenantOnboarded.safeParse({ ...validDetails.TenantOnboarded, tier: 'gold' }).success,
    ).toBe(false);
  });

  it('refuses a blank tenant name and an out-of-range return policy', () => {
    const schema = detailSchemas.TenantOnboarded;
    expect(schema.safeParse({ ...validDetails.TenantOnboarded, name: '   ' }).success).toBe(false);
    expect(schema.safeParse({ ...validDetails.TenantOnboarded, returnPolicyDays: -1 }).success).toBe(false);
    expect(schema.safeParse({ ...validDetails.TenantOnboarded, returnPolicyDays: 3651 }).success).toBe(false);
  });
});

describe('parseDetail', () => {
  it('returns the parsed detail', () => {
    expect(parseDetail('AnswerChunk', validDetails.AnswerChunk)).toEqual(validDetails.AnswerChunk);
  });

  it('refuses an invalid detail naming every issue', () => {
    // Act
    let error: unknown;
    try {
      parseDetail('AnswerChunk', { ...validDetails.AnswerChunk, tenantId: 'T*', seq: 'one' });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    const issues = (error as InvalidEventError).issues;
    expect(issues).toHaveLength(2);
    expect(issues.some((issue) => issue.startsWith('tenantId: '))).toBe(true);
    expect(issues.some((issue) => issue.startsWith('seq: '))).toBe(true);
  });

  it('names the root when the detail is not an object', () => {
    expect(() => parseDetail('AnswerCompleted', 'text')).toThrow(
      expect.objectContaining({ issues: [expect.stringMatching(/^\(root\): /)] }),
    );
  });

  it.each(answerDetailTypes)('refuses a %s whose answer belongs to another user', (detailType) => {
    // Prepare
    const detail = { ...validDetails[detailType], userId: otherUserId };

    // Act / Assess
    expect(() => parseDetail(detailType, detail)).toThrow(AnswerOwnershipError);
  });

  it('refuses an answer id that is owned by nobody', () => {
    expect(() =>
      parseDetail('AnswerCompleted', { ...validDetails.AnswerCompleted, answerId: 'not-an-answer' }),
    ).toThrow(AnswerOwnershipError);
  });
});

describe('parseContractEvent', () => {
  it.each(detailTypes)('accepts a %s from its producer', (detailType) => {
    // Act
    const parsed = parseContractEvent(received(detailType));

    // Assess
    expect(parsed).toEqual({ detailType, detail: validDetails[detailType] });
  });

  it.each(detailTypes)('refuses a %s from another source', (detailType) => {
    for (const source of [...Object.values(EVENT_SOURCES), 'aws.events', 'tenant-assistant.evil']) {
      if (source === EVENT_PRODUCERS[detailType]) continue;
      expect(() => parseContractEvent({ ...received(detailType), source })).toThrow(
        new InvalidEventError(`${detailType} must come from ${EVENT_PRODUCERS[detailType]}`),
      );
    }
  });

  it.each(['Unknown', 'toString', '__proto__', 'promptsubmitted', ''])(
    'refuses the unknown detail-type %p',
    (detailType) => {
      expect(() =>
        parseContractEvent({ 'detail-type': detailType, source: EVENT_SOURCES.chatApi, detail: {} }),
      ).toThrow(InvalidEventError);
    },
  );

  it('refuses a detail-type the consumer does not accept', () => {
    expect(() => parseContractEvent(received('AnswerChunk'), ['PromptSubmitted'])).toThrow(
      'Unexpected detail-type "AnswerChunk"',
    );
  });

  it('accepts a detail-type the consumer accepts', () => {
    expect(parseContractEvent(received('AnswerChunk'), ['AnswerChunk', 'AnswerCompleted']).detailType).toBe(
      'AnswerChunk',
    );
  });

  it('refuses an event whose detail breaks the contract', () => {
    expect(() =>
      parseContractEvent(received('PromptSubmitted', { ...validDetails.PromptSubmitted, prompt: '' })),
    ).toThrow(InvalidEventError);
  });

  it('refuses an event whose answer belongs to another user', () => {
    expect(() =>
      parseContractEvent(
        received('AnswerCompleted', { ...validDetails.AnswerCompleted, userId: otherUserId }),
      ),
    ).toThrow(AnswerOwnershipError);
  });
});

describe('buildEvent', () => {
  it('builds a PutEvents entry with the producer as source', () => {
    // Act
    const entry = buildEvent('PromptSubmitted', validDetails.PromptSubmitted, { eventBusName: 'bus' });

    // Assess
    expect(entry).toEqual({
      EventBusName: 'bus',
      Source: EVENT_SOURCES.chatApi,
      DetailType: 'PromptSubmitted',
      Detail: JSON.stringify(validDetails.PromptSubmitted),
    });
  });

  it('drops properties that are not in the contract', () => {
    // Act
    const entry = buildEvent('AnswerCompleted', { ...validDetails.AnswerCompleted, secret: 'x' } as never, {
      eventBusName: 'bus',
    });

    // Assess
    expect(JSON.parse(entry.Detail ?? '{}')).not.toHaveProperty('secret');
  });

  it('refuses a detail that breaks the contract', () => {
    expect(() =>
      buildEvent(
        'TenantOnboarded',
        { ...validDetails.TenantOnboarded, tenantId: policyVariable('aws:username') },
        { eventBusName: 'bus' },
      ),
    ).toThrow(InvalidEventError);
  });
});

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
