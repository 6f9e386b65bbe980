import { issuesOf } from '@tenant-assistant/lambda-kit/errors';
import {
  AnswerOwnershipError,
  conversationIdSchema,
  InvalidEventError,
  isOwnedBy,
  MAX_PROMPT_LENGTH,
  type TenantContext,
  tenantIdSchema,
  tenantTierSchema,
  userIdSchema,
} from '@tenant-assistant/tenant-context';
import * as z from 'zod';

export {
  CONVERSATION_ID_PATTERN,
  conversationIdSchema,
  MAX_PROMPT_LENGTH,
} from '@tenant-assistant/tenant-context';

/** Longest answer text an `AnswerCompleted` may carry, and chat-api may store (characters). */
export const MAX_ANSWER_LENGTH = 20_000;

/** Longest text of one `AnswerChunk` (characters). */
export const MAX_CHUNK_LENGTH = 2_000;

/** Chunks per answer: `seq` runs from 0 to MAX_CHUNKS_PER_ANSWER - 1 (later progress goes only in the completion). */
export const MAX_CHUNKS_PER_ANSWER = 1_000;

/** `source` of every event, by producing service. */
export const EVENT_SOURCES = {
  chatApi: 'tenant-assistant.chat-api',
  agentInvoker: 'tenant-assistant.agent-invoker',
  auth: 'tenant-assistant.auth',
  orderActionGroup: 'tenant-assistant.order-action-group',
} as const;

/** Every detail-type of the contract. */
export const DETAIL_TYPES = {
  PromptSubmitted: 'PromptSubmitted',
  AnswerChunk: 'AnswerChunk',
  AnswerCompleted: 'AnswerCompleted',
  AnswerFailed: 'AnswerFailed',
  TenantOnboarded: 'TenantOnboarded',
  TenantUpdated: 'TenantUpdated',
  TenantSuspended: 'TenantSuspended',
  TenantResumed: 'TenantResumed',
  TenantOffboarded: 'TenantOffboarded',
  TenantChatDataDeleted: 'TenantChatDataDeleted',
  TenantOrderDataDeleted: 'TenantOrderDataDeleted',
} as const;
export type DetailType = keyof typeof DETAIL_TYPES;

/**
 * A tenant's lifecycle in auth's registry: ACTIVE tenants sign in and chat; SUSPENDED ones do
 * neither and can be resumed; OFFBOARDING ones are being deleted by every service; OFFBOARDED ones
 * are gone (only their tombstone is kept). Only ACTIVE may sign in or chat.
 */
export const TENANT_STATUSES = ['ACTIVE', 'SUSPENDED', 'OFFBOARDING', 'OFFBOARDED'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** The services that delete a tenant's data on `TenantOffboarded`, each reporting back (auth does its own part first). */
export const OFFBOARDING_SERVICES = ['auth', 'chat-api', 'order-action-group'] as const;
export type OffboardingService = (typeof OFFBOARDING_SERVICES)[number];

/** Tenant tiers (what each allows is in `@tenant-assistant/tenant-context/tiers`). */
export { TENANT_TIERS } from '@tenant-assistant/tenant-context';

const tenantDefinition = {
  tenantId: tenantIdSchema,
  name: z.string().trim().min(1).max(128),
  returnPolicyDays: z.number().int().min(0).max(3650),
  tier: tenantTierSchema,
};

const answerIdSchema = z.string().min(1).max(128);

/**
 * The only reasons an `AnswerFailed` may carry: fixed sentences safe to show to the user, so a
 * consumer never displays free text from the bus (a raw error can echo request values; a forged
 * event could say anything). Producers pick one by key; consumers refuse any other text.
 */
export const ANSWER_FAILURE_REASONS = {
  busy: 'The assistant is busy right now. Please try again in a moment.',
  timeout: 'The assistant took too long to answer. Please try again.',
  interrupted: 'The answer was interrupted. Please try again.',
  empty: 'The assistant did not return an answer. Please try again.',
  tooLong: 'The answer was too long to show. Please ask a narrower question.',
  unavailable: 'The assistant is unavailable right now. Please try again later.',
  invalidRequest: 'This question could not be processed.',
} as const;
export type AnswerFailureKind = keyof typeof ANSWER_FAILURE_REASONS;
export type AnswerFailureReason = (typeof ANSWER_FAILURE_REASONS)[AnswerFailureKind];
const failureReasonSchema = z.enum(
  Object.values(ANSWER_FAILURE_REASONS) as [AnswerFailureReason, ...AnswerFailureReason[]],
);
const owned = { tenantId: tenantIdSchema, userId: userIdSchema, answerId: answerIdSchema };
/** What an offboarding report deleted: item kind → count. */
const deletedCounts = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/), z.number().int().min(0));

/** Detail schemas, one per detail-type: the single source for producers and consumers. */
export const detailSchemas = {
  PromptSubmitted: z.object({
    ...owned,
    conversationId: conversationIdSchema,
    prompt: z.string().min(1).max(MAX_PROMPT_LENGTH),
    submittedAt: z.iso.datetime(),
    /** The tenant's tier when the prompt was accepted (chooses the agent alias); absent = basic's alias. */
    tier: tenantTierSchema.optional(),
  }),
  AnswerChunk: z.object({
    ...owned,
    seq: z
      .number()
      .int()
      .min(0)
      .max(MAX_CHUNKS_PER_ANSWER - 1),
    text: z.string().min(1).max(MAX_CHUNK_LENGTH),
  }),
  AnswerCompleted: z.object({ ...owned, text: z.string().min(1).max(MAX_ANSWER_LENGTH) }),
  AnswerFailed: z.object({ ...owned, reason: failureReasonSchema }),
  TenantOnboarded: z.object(tenantDefinition),
  /** The tenant's whole definition after the change (consumers overwrite, so repeats are harmless). */
  TenantUpdated: z.object(tenantDefinition),
  TenantSuspended: z.object({ tenantId: tenantIdSchema }),
  TenantResumed: z.object({ tenantId: tenantIdSchema }),
  /** Every service deletes what it owns of the tenant, idempotently, and reports back. */
  TenantOffboarded: z.object({ tenantId: tenantIdSchema }),
  /** chat-api's report: how many items of each kind it deleted (0 on a repeat). */
  TenantChatDataDeleted: z.object({ tenantId: tenantIdSchema, deleted: deletedCounts }),
  /** order-action-group's report: its TenantConfig item and orders table (1 = deleted, 0 = already gone). */
  TenantOrderDataDeleted: z.object({ tenantId: tenantIdSchema, deleted: deletedCounts }),
} as const;

/** The parsed detail of a detail-type, e.g. `EventDetail<'PromptSubmitted'>`. */
export type EventDetail<T extends DetailType> = z.output<(typeof detailSchemas)[T]>;
/** The detail a producer passes in (before parsing/branding). */
export type EventDetailInput<T extends DetailType> = z.input<(typeof detailSchemas)[T]>;

/** A parsed event of one of the detail-types `T`: detail-type and detail, correlated. */
export type ParsedEvent<T extends DetailType> = { [K in T]: { detailType: K; detail: EventDetail<K> } }[T];

/** Which service may produce each detail-type. */
export const EVENT_PRODUCERS: { readonly [T in DetailType]: string } = {
  PromptSubmitted: EVENT_SOURCES.chatApi,
  AnswerChunk: EVENT_SOURCES.agentInvoker,
  AnswerCompleted: EVENT_SOURCES.agentInvoker,
  AnswerFailed: EVENT_SOURCES.agentInvoker,
  TenantOnboarded: EVENT_SOURCES.auth,
  TenantUpdated: EVENT_SOURCES.auth,
  TenantSuspended: EVENT_SOURCES.auth,
  TenantResumed: EVENT_SOURCES.auth,
  TenantOffboarded: EVENT_SOURCES.auth,
  TenantChatDataDeleted: EVENT_SOURCES.chatApi,
  TenantOrderDataDeleted: EVENT_SOURCES.orderActionGroup,
};

/** The offboarding report of each service other than auth, by its detail-type. */
export const OFFBOARDING_REPORTS = {
  TenantChatDataDeleted: 'chat-api',
  TenantOrderDataDeleted: 'order-action-group',
} as const satisfies Partial<Record<DetailType, OffboardingService>>;
export type OffboardingReport = keyof typeof OFFBOARDING_REPORTS;

const isDetailType = (value: unknown): value is DetailType =>
  typeof value === 'string' && Object.hasOwn(DETAIL_TYPES, value);

/**
 * Validates `detail` against the contract of `detailType`; for answer events also checks that the
 * answer is owned by the event's user. Throws InvalidEventError / AnswerOwnershipError.
 *
 * @example const detail = parseDetail('PromptSubmitted', event.detail);
 */
export const parseDetail = <T extends DetailType>(detailType: T, detail: unknown): EventDetail<T> => {
  const result = detailSchemas[detailType].safeParse(detail);
  if (!result.success) {
    throw new InvalidEventError(`Invalid ${detailType} detail`, issuesOf(result.error), result.error);
  }
  const data = result.data as EventDetail<T>;
  if ('answerId' in data && !isOwnedBy(data.answerId, data.userId)) throw new AnswerOwnershipError();
  return data;
};

/** An EventBridge event as a Lambda receives it (the parts the contract reads). */
export interface ContractEvent {
  'detail-type': string;
  source: string;
  detail: unknown;
}

/**
 * Validates a whole received event: known detail-type, the right producer as `source`, and the detail.
 * `expected` limits which detail-types this consumer accepts.
 *
 * @example const { detailType, detail } = parseContractEvent(event, ['AnswerChunk', 'AnswerCompleted']);
 */
export const parseContractEvent = <T extends DetailType>(
  event: ContractEvent,
  expected?: readonly T[],
): ParsedEvent<T> => {
  const detailType = contractDetailType(event, expected);
  return { detailType, detail: parseDetail(detailType, event.detail) } as ParsedEvent<T>;
};

/** The event's detail-type when it is one of `expected` and comes from its producer; else InvalidEventError. */
const contractDetailType = <T extends DetailType>(event: ContractEvent, expected?: readonly T[]): T => {
  const detailType = event['detail-type'];
  if (!isDetailType(detailType) || (expected && !expected.includes(detailType as T))) {
    throw new InvalidEventError(`Unexpected detail-type ${JSON.stringify(detailType)}`);
  }
  if (event.source !== EVENT_PRODUCERS[detailType]) {
    throw new InvalidEventError(`${detailType} must come from ${EVENT_PRODUCERS[detailType]}`);
  }
  return detailType as T;
};

/** Whose answer an event is about: its tenant, user and answer id. */
export type AnswerOwner = TenantContext & { answerId: string };

const answerOwnerSchema = z.object(owned);

/**
 * The owner of the answer a refused event was meant for — when the event is of an `expected`
 * detail-type from its producer and its tenant, user and answer id are themselves valid and the
 * answer is the user's — so a consumer can tell that owner it was refused; else undefined.
 *
 * @example const owner = answerOwnerOf(event, ['PromptSubmitted']); // after parseContractEvent refused it
 */
export const answerOwnerOf = <T extends DetailType>(
  event: unknown,
  expected?: readonly T[],
): AnswerOwner | undefined => {
  if (typeof event !== 'object' || event === null) return undefined;
  try {
    contractDetailType(event as ContractEvent, expected);
  } catch {
    return undefined;
  }
  const owner = answerOwnerSchema.safeParse((event as ContractEvent).detail);
  if (!owner.success || !isOwnedBy(owner.data.answerId, owner.data.userId)) return undefined;
  return { tenantId: owner.data.tenantId, userId: owner.data.userId, answerId: owner.data.answerId };
};

/** One entry of EventBridge's PutEvents (the fields the contract sets). */
export interface PutEventsEntry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
}

/**
 * Builds a validated PutEvents entry for the contract (source set to the detail-type's producer).
 *
 * @example
 * const entry = buildEvent('PromptSubmitted', detail, { eventBusName });
 */
export const buildEvent = <T extends DetailType>(
  detailType: T,
  detail: EventDetailInput<T>,
  options: { eventBusName: string },
): PutEventsEntry => ({
  EventBusName: options.eventBusName,
  Source: EVENT_PRODUCERS[detailType],
  DetailType: detailType,
  Detail: JSON.stringify(parseDetail(detailType, detail)),
});

/** An event to publish: detail-type plus its detail. */
export type OutgoingEvent = { [T in DetailType]: { detailType: T; detail: EventDetailInput<T> } }[DetailType];
