import type { Logger } from '@aws-lambda-powertools/logger';
import type { OutgoingEvent } from '@tenant-assistant/contracts/events';
import type { UsageTotals } from '@tenant-assistant/contracts/http';
import type { ServerMessage as ContractServerMessage } from '@tenant-assistant/contracts/websocket';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';
import type { LimitCode, TenantTier, TierLimits } from '@tenant-assistant/tenant-context/tiers';
import type { Answer, AnswerKey } from './answers/model';

/**
 * The ports domain code receives: adapters over DynamoDB, EventBridge and the WebSocket
 * management API implement them (src/adapters), tests pass fakes or mocked clients.
 */
export interface AnswersRepository {
  /**
   * Stores a new answer and records it in the caller's conversation list (one transaction: the
   * conversation's title is its first prompt). Throws AnswerAlreadyExistsError when the id is taken.
   */
  create(answer: Answer): Promise<void>;
  /** The answer with this key, or undefined. Strongly consistent. */
  get(key: AnswerKey): Promise<Answer | undefined>;
  /** A user's answers in one conversation, oldest first, `limit` per page, after the answer `after`. */
  listByConversation(
    userId: UserId,
    conversationId: string,
    page: { limit: number; after?: AnswerId },
  ): Promise<{ answers: Answer[]; lastAnswerId?: AnswerId }>;
  /**
   * Records one streamed chunk (and status STREAMING) with one conditional write — no read, no
   * version — unless the answer is missing, final, of another tenant or past its deadline; true when
   * written. Chunks of one answer never contend with each other or with the completion.
   */
  saveChunk(key: AnswerKey, tenantId: TenantId, seq: number, text: string, now: Date): Promise<boolean>;
  /** Marks the answer COMPLETED with `text` unless it is missing, final, of another tenant or past its deadline; true when applied. */
  complete(key: AnswerKey, tenantId: TenantId, text: string, now: Date): Promise<boolean>;
  /** Marks the answer FAILED with `reason` unless it is missing, final, of another tenant or past its deadline; true when applied. */
  fail(key: AnswerKey, tenantId: TenantId, reason: string, now: Date): Promise<boolean>;
  /** Marks an open answer of this tenant FAILED (timed out) only if its deadline has passed at `now`; true when applied. */
  expire(key: AnswerKey, tenantId: TenantId, now: Date): Promise<boolean>;
  /** Open answers whose deadline has passed at `now` (any user; at most `limit`), for the sweeper. */
  listOverdue(now: Date, limit: number): Promise<OverdueAnswer[]>;
  /** A user's conversations, most recent prompt first, `limit` per page, after `after`. */
  listConversations(
    userId: UserId,
    page: { limit: number; after?: ConversationPosition },
  ): Promise<{ conversations: Conversation[]; last?: ConversationPosition }>;
}

/** An open answer past its deadline, as the sweeper finds it. */
export interface OverdueAnswer extends AnswerKey {
  readonly tenantId: TenantId;
}

/** One of a user's conversations (conversations table, partition `userId`, sort `conversationId`). */
export interface Conversation {
  readonly userId: UserId;
  readonly tenantId: TenantId;
  readonly conversationId: string;
  /** The conversation's first prompt (at most CONVERSATION_TITLE_LENGTH characters). */
  readonly title: string;
  readonly createdAt: string;
  /** When its latest prompt was submitted (the list is ordered by it, newest first). */
  readonly lastPromptAt: string;
}

/** Where a page of conversations ended (the next page starts after it). */
export interface ConversationPosition {
  readonly conversationId: string;
  readonly lastPromptAt: string;
}

/** An open WebSocket connection and whom it belongs to (established from a verified token). */
export interface Connection {
  readonly connectionId: string;
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly connectedAt: string;
  /** Epoch seconds (TTL). */
  readonly expiresAt: number;
}

export interface ConnectionsRepository {
  put(connection: Connection): Promise<void>;
  delete(connectionId: string): Promise<void>;
  /** The open connections of one user (connection id and tenant). */
  listByUser(userId: UserId): Promise<Pick<Connection, 'connectionId' | 'tenantId'>[]>;
}

/** A prompt asking to be let in: whose it is, the answer it would start, and its tier's limits. */
export interface AdmissionRequest {
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly answerId: AnswerId;
  readonly limits: TierLimits;
  readonly now: Date;
}

/**
 * The tier limits that need counters: prompts per minute per tenant and per user, and answers in
 * flight per tenant.
 */
export interface PromptLimiter {
  /**
   * Counts the prompt against the tenant's and the user's minute and takes an in-flight slot for
   * its answer, all or nothing (one transaction); throws LimitExceededError naming the limit.
   */
  admit(request: AdmissionRequest): Promise<void>;
  /** Frees the answer's in-flight slot; idempotent (a redelivered completion frees nothing twice). */
  release(tenantId: TenantId, answerId: AnswerId): Promise<void>;
}

/**
 * The current tier of a tenant (auth's tenant registry); throws TenantNotProvisionedError for an
 * unknown tenant and TenantSuspendedError for a suspended one.
 */
export interface TenantTiers {
  tierOf(tenantId: TenantId): Promise<TenantTier>;
}

/** Counts prompt outcomes per tenant and tier (CloudWatch metrics). */
export interface PromptMetrics {
  accepted(tenantId: TenantId, tier: TenantTier): void;
  throttled(tenantId: TenantId, tier: TenantTier, code: LimitCode): void;
}

/** Token usage recorded by the agent-invoker (the usage table). */
export interface UsageReader {
  /** Tokens (input + output) the tenant used in the month `YYYY-MM`. */
  monthTokens(tenantId: TenantId, month: string): Promise<number>;
}

/**
 * Reads the usage the agent-invoker records (the usage table: per tenant, its and each user's day
 * and month). Periods without usage read as zeros or are absent from the maps.
 */
export interface UsageReports {
  /** The tenant's totals of the month `YYYY-MM`. */
  month(tenantId: TenantId, month: string): Promise<UsageTotals>;
  /** Several tenants' totals of one month (tenants without usage are absent). */
  months(tenantIds: readonly TenantId[], month: string): Promise<Map<TenantId, UsageTotals>>;
  /** The tenant's totals per day (`YYYY-MM-DD`) of the month (days without usage are absent). */
  days(tenantId: TenantId, month: string): Promise<Map<string, UsageTotals>>;
  /** The tenant's totals per user (`sub`) of the month (users without usage are absent). */
  users(tenantId: TenantId, month: string): Promise<Map<string, UsageTotals>>;
}

/** A tenant as auth's tenant registry holds it: that it exists, its tier and its status. */
export interface TenantStanding {
  readonly tenantId: TenantId;
  readonly tier: TenantTier;
  /** e.g. `ACTIVE`, `SUSPENDED`. */
  readonly status: string;
}

/** Reads tenants from auth's tenant registry (control-plane data, never tenant data). */
export interface TenantStandings {
  /** The tenant, or undefined when it is not in the registry. */
  get(tenantId: TenantId): Promise<TenantStanding | undefined>;
  /** One page of every tenant (at most `limit`), after the tenant `after`; `last` when there are more. */
  list(page: { limit: number; after?: TenantId }): Promise<{ tenants: TenantStanding[]; last?: TenantId }>;
}

/** Messages the server pushes over the WebSocket (the contract's, with branded answer ids). */
export type ServerMessage = ContractServerMessage<AnswerId>;

/** Posts a message to one connection; throws ConnectionGoneError when it no longer exists (410). */
export interface ConnectionPusher {
  post(connectionId: string, message: ServerMessage): Promise<void>;
}

/** Publishes contract events to the data bus (tenant-context `putEvents`). */
export type PublishEvents = (events: readonly OutgoingEvent[]) => Promise<void>;

/** The clock domain code reads. */
export type Clock = () => Date;

/** Generates ULIDs (answer and conversation ids). */
export type IdGenerator = () => string;

export type { Logger };
