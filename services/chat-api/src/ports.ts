import type { Logger } from '@aws-lambda-powertools/logger';
import type { OutgoingEvent } from '@tenant-assistant/contracts/events';
import type { ServerMessage as ContractServerMessage } from '@tenant-assistant/contracts/websocket';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';
import type { Answer, AnswerKey, AnswerProgress } from './answers/model';

/**
 * The ports domain code receives: adapters over DynamoDB, EventBridge and the WebSocket
 * management API implement them (src/adapters), tests pass fakes or mocked clients.
 */
export interface AnswersRepository {
  /** Stores a new answer; throws AnswerAlreadyExistsError when the id is taken (conditional write). */
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
   * Saves streaming progress (status STREAMING) if the stored version is still `expectedVersion`;
   * throws AnswerVersionConflictError otherwise.
   */
  saveProgress(key: AnswerKey, expectedVersion: number, progress: AnswerProgress, now: Date): Promise<void>;
  /** Marks the answer COMPLETED with `text` unless it is missing, final, or of another tenant; true when applied. */
  complete(key: AnswerKey, tenantId: TenantId, text: string, now: Date): Promise<boolean>;
  /** Marks the answer FAILED with `reason` unless it is missing, final, or of another tenant; true when applied. */
  fail(key: AnswerKey, tenantId: TenantId, reason: string, now: Date): Promise<boolean>;
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

/** Counts prompts per user; throws RateLimitedError when the limit of the current window is reached. */
export interface RateLimiter {
  consume(userId: UserId, now: Date): Promise<void>;
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
