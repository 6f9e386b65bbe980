import { AnswerOwnershipError, InvalidEventError } from '@tenant-assistant/tenant-context';
import { eventBridgeEvent } from '@tenant-assistant/testing';
import {
  ANSWER_FAILURE_REASONS,
  buildEvent,
  DETAIL_TYPES,
  type DetailType,
  detailSchemas,
  EVENT_PRODUCERS,
  EVENT_SOURCES,
  MAX_ANSWER_LENGTH,
  MAX_CHUNK_LENGTH,
  MAX_CHUNKS_PER_ANSWER,
  MAX_PROMPT_LENGTH,
  parseContractEvent,
  parseDetail,
  TENANT_TIERS,
} from './events';

/** An IAM policy variable such as `${aws:PrincipalTag/tenantId}` (built so it is not a template). */
const policyVariable = (name: string): string => `$\{${name}}`;

import { otherUserId, validDetails } from '../test/details';

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
    // Prepare
    const schema = detailSchemas.PromptSubmitted;

    // Act / Assess
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
    // Prepare
    const schema = detailSchemas.PromptSubmitted;

    // Act / Assess
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
    // Act / Assess
    expect(detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, seq: -1 }).success).toBe(false);
    expect(detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, seq: 1.5 }).success).toBe(
      false,
    );
  });

  it('refuses a chunk sequence beyond the limit of chunks per answer', () => {
    // Prepare
    const chunk = (seq: number) => detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, seq });

    // Act / Assess
    expect(chunk(MAX_CHUNKS_PER_ANSWER - 1).success).toBe(true);
    expect(chunk(MAX_CHUNKS_PER_ANSWER).success).toBe(false);
    expect(chunk(Number.MAX_SAFE_INTEGER).success).toBe(false);
  });

  it('bounds chunk and answer text to the contract limits', () => {
    // Prepare
    const chunk = (text: string) =>
      detailSchemas.AnswerChunk.safeParse({ ...validDetails.AnswerChunk, text });
    const completed = (text: string) =>
      detailSchemas.AnswerCompleted.safeParse({ ...validDetails.AnswerCompleted, text });

    // Act / Assess
    expect(chunk('x'.repeat(MAX_CHUNK_LENGTH)).success).toBe(true);
    expect(chunk('x'.repeat(MAX_CHUNK_LENGTH + 1)).success).toBe(false);
    expect(chunk('').success).toBe(false);
    expect(completed('x'.repeat(MAX_ANSWER_LENGTH)).success).toBe(true);
    expect(completed('x'.repeat(MAX_ANSWER_LENGTH + 1)).success).toBe(false);
    expect(completed('x'.repeat(200_000)).success).toBe(false);
  });

  it('accepts each safe failure reason and refuses any other text', () => {
    // Prepare
    const failed = (reason: string) =>
      detailSchemas.AnswerFailed.safeParse({ ...validDetails.AnswerFailed, reason });

    // Act / Assess
    for (const reason of Object.values(ANSWER_FAILURE_REASONS)) expect(failed(reason).success).toBe(true);
    expect(failed('').success).toBe(false);
    expect(failed('Your session expired: sign in again at https://evil.example').success).toBe(false);
    expect(failed(`${ANSWER_FAILURE_REASONS.unavailable} `).success).toBe(false);
  });

  it('accepts every tenant tier and nothing else', () => {
    // Act / Assess
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
    // Prepare
    const schema = detailSchemas.TenantOnboarded;

    // Act / Assess
    expect(schema.safeParse({ ...validDetails.TenantOnboarded, name: '   ' }).success).toBe(false);
    expect(schema.safeParse({ ...validDetails.TenantOnboarded, returnPolicyDays: -1 }).success).toBe(false);
    expect(schema.safeParse({ ...validDetails.TenantOnboarded, returnPolicyDays: 3651 }).success).toBe(false);
  });

  it.each(['TenantChatDataDeleted', 'TenantOrderDataDeleted'] as const)(
    'refuses a %s report with an invalid tenant, a negative or fractional count or a strange kind',
    (detailType) => {
      // Prepare
      const report = (patch: object) =>
        detailSchemas[detailType].safeParse({ ...validDetails[detailType], ...patch }).success;

      // Act / Assess
      expect(report({ tenantId: '*' })).toBe(false);
      expect(report({ deleted: { answers: -1 } })).toBe(false);
      expect(report({ deleted: { answers: 1.5 } })).toBe(false);
      expect(report({ deleted: { 'answers; drop': 1 } })).toBe(false);
      expect(report({ deleted: {} })).toBe(true);
    },
  );

  it('names a producer for each offboarding report other than auth', () => {
    // Act / Assess
    expect(EVENT_PRODUCERS.TenantOffboarded).toBe(EVENT_SOURCES.auth);
    expect(EVENT_PRODUCERS.TenantChatDataDeleted).toBe(EVENT_SOURCES.chatApi);
    expect(EVENT_PRODUCERS.TenantOrderDataDeleted).toBe(EVENT_SOURCES.orderActionGroup);
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
