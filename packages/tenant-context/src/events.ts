import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { isOwnedBy } from './answer-id';
import { AnswerOwnershipError, InvalidEventError, PutEventsFailedError } from './errors';
import { tenantIdSchema, userIdSchema } from './identity';
import {
  conversationIdSchema,
  MAX_ANSWER_LENGTH,
  MAX_CHUNK_LENGTH,
  MAX_CHUNKS_PER_ANSWER,
  MAX_PROMPT_LENGTH,
} from './limits';

export {
  CONVERSATION_ID_PATTERN,
  conversationIdSchema,
  MAX_ANSWER_LENGTH,
  MAX_CHUNK_LENGTH,
  MAX_CHUNKS_PER_ANSWER,
  MAX_PROMPT_LENGTH,
} from './limits';

/** `source` of every event, by producing service. */
export const EVENT_SOURCES = {
  chatApi: 'tenant-assistant.chat-api',
  agentInvoker: 'tenant-assistant.agent-invoker',
  auth: 'tenant-assistant.auth',
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
} as const;
export type DetailType = keyof typeof DETAIL_TYPES;

/** Tenant tiers. */
export const TENANT_TIERS = ['basic', 'standard', 'premium'] as const;

const tenantDefinition = {
  tenantId: tenantIdSchema,
  name: z.string().trim().min(1).max(128),
  returnPolicyDays: z.number().int().min(0).max(3650),
  tier: z.enum(TENANT_TIERS),
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

/** Detail schemas, one per detail-type: the single source for producers and consumers. */
export const detailSchemas = {
  PromptSubmitted: z.object({
    ...owned,
    conversationId: conversationIdSchema,
    prompt: z.string().min(1).max(MAX_PROMPT_LENGTH),
    submittedAt: z.iso.datetime(),
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
} as const;

/** The parsed detail of a detail-type, e.g. `EventDetail<'PromptSubmitted'>`. */
export type EventDetail<T extends DetailType> = z.output<(typeof detailSchemas)[T]>;
/** The detail a producer passes in (before parsing/branding). */
export type EventDetailInput<T extends DetailType> = z.input<(typeof detailSchemas)[T]>;

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
};

const isDetailType = (value: unknown): value is DetailType =>
  typeof value === 'string' && Object.hasOwn(DETAIL_TYPES, value);

const issuesOf = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);

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
): { [K in T]: { detailType: K; detail: EventDetail<K> } }[T] => {
  const detailType = event['detail-type'];
  if (!isDetailType(detailType) || (expected && !expected.includes(detailType as T))) {
    throw new InvalidEventError(`Unexpected detail-type ${JSON.stringify(detailType)}`);
  }
  if (event.source !== EVENT_PRODUCERS[detailType]) {
    throw new InvalidEventError(`${detailType} must come from ${EVENT_PRODUCERS[detailType]}`);
  }
  return { detailType, detail: parseDetail(detailType, event.detail) } as never;
};

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
): PutEventsRequestEntry => ({
  EventBusName: options.eventBusName,
  Source: EVENT_PRODUCERS[detailType],
  DetailType: detailType,
  Detail: JSON.stringify(parseDetail(detailType, detail)),
});

/** An event to publish: detail-type plus its detail. */
export type OutgoingEvent = { [T in DetailType]: { detailType: T; detail: EventDetailInput<T> } }[DetailType];

/**
 * Validates and publishes events to a bus (batches of 10). Any rejected entry
 * (`FailedEntryCount > 0`) becomes a PutEventsFailedError naming the entries.
 *
 * @example
 * await putEvents(eventBridge, busName, [{ detailType: 'AnswerCompleted', detail }]);
 */
export const putEvents = async (
  client: EventBridgeClient,
  eventBusName: string,
  events: readonly OutgoingEvent[],
): Promise<void> => {
  const entries = events.map((event) =>
    buildEvent(event.detailType, event.detail as never, { eventBusName }),
  );
  const failed: { index: number; errorCode?: string; errorMessage?: string }[] = [];
  for (let start = 0; start < entries.length; start += 10) {
    const batch = entries.slice(start, start + 10);
    const output = await client.send(new PutEventsCommand({ Entries: batch }));
    if ((output.FailedEntryCount ?? 0) > 0) {
      (output.Entries ?? []).forEach((entry, offset) => {
        if (entry.ErrorCode) {
          failed.push({
            index: start + offset,
            errorCode: entry.ErrorCode,
            ...(entry.ErrorMessage ? { errorMessage: entry.ErrorMessage } : {}),
          });
        }
      });
      if (failed.length === 0) failed.push({ index: start });
    }
  }
  if (failed.length > 0) throw new PutEventsFailedError(failed);
};
