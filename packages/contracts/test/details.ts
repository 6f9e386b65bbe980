import { ANSWER_FAILURE_REASONS, type DetailType, type EventDetailInput } from '../src/events';

/** Valid details of every detail-type, for tests. */
export const userId = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
export const otherUserId = '0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f';
export const answerId = `${userId}.01JD0000000000000000000000`;
export const owned = { tenantId: 'tenant1', userId, answerId };

export const validDetails: { [T in DetailType]: EventDetailInput<T> } = {
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
  TenantOffboarded: { tenantId: 'tenant1' },
  TenantChatDataDeleted: { tenantId: 'tenant1', deleted: { answers: 3, connections: 1 } },
  TenantOrderDataDeleted: { tenantId: 'tenant1', deleted: { tenantConfig: 1, ordersTable: 1 } },
};
