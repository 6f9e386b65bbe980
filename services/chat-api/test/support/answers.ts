import { type AnswerId, newAnswerId, type TenantId, type UserId } from '@tenant-assistant/tenant-context';
import { randomUserId } from '@tenant-assistant/testing';
import { monotonicFactory } from 'ulid';
import type { Answer } from '../../src/answers/model';

/** Answer ids created by tests sort in creation order, as in production. */
const ulid = monotonicFactory();

export const TENANT = 'tenant-a' as TenantId;
export const OTHER_TENANT = 'tenant-b' as TenantId;
export const newUserId = () => randomUserId() as UserId;

/** A stored answer (PENDING by default) for tests. */
export const anAnswer = (overrides: Partial<Answer> & { userId?: UserId } = {}): Answer => {
  const userId = overrides.userId ?? newUserId();
  const createdAt = '2025-01-01T10:00:00.000Z';
  return {
    userId,
    answerId: newAnswerId(userId, ulid) as AnswerId,
    tenantId: TENANT,
    conversationId: '01JCONVERSATION0000000000A',
    prompt: 'Where is my order?',
    status: 'PENDING',
    text: '',
    chunks: {},
    createdAt,
    updatedAt: createdAt,
    // Far ahead of every test clock unless a test sets it.
    deadlineAt: '2099-01-01T00:00:00.000Z',
    expiresAt: 1_800_000_000,
    ...overrides,
  };
};

/** An AnswerChunk event (as chat-api receives it, validated) for `answer`. */
export const chunkOf = (answer: Answer, seq: number, text: string) => ({
  detailType: 'AnswerChunk' as const,
  detail: {
    tenantId: answer.tenantId,
    userId: answer.userId,
    answerId: answer.answerId as AnswerId,
    seq,
    text,
  },
});

/** An AnswerCompleted event (as chat-api receives it, validated) for `answer`. */
export const completionOf = (answer: Answer, text: string) => ({
  detailType: 'AnswerCompleted' as const,
  detail: { tenantId: answer.tenantId, userId: answer.userId, answerId: answer.answerId as AnswerId, text },
});
