import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';
import { type Answer, type AnswerKey, type AnswerStatus, TIMED_OUT_REASON } from '../answers/model';
import { AnswerAlreadyExistsError } from '../errors';
import type { AnswersRepository, Conversation, OverdueAnswer } from '../ports';

/** Local secondary index of the answers table: partition `userId`, sort `conversationSk`. */
export const CONVERSATION_INDEX = 'conversation-index';

/**
 * Sparse global secondary index of the answers table: partition `openShard`, sort `deadlineAt`.
 * Only open answers carry `openShard` (it is removed when they end), so the sweeper reads exactly
 * the open answers whose deadline has passed, shard by shard.
 */
export const OPEN_INDEX = 'open-index';

/** Shards of the open index (spreads the writes of open answers over several partitions). */
export const OPEN_SHARDS = 4;

/** Local secondary index of the conversations table: partition `userId`, sort `lastPromptAt`. */
export const RECENT_INDEX = 'recent-index';

/** Longest conversation title kept (the first prompt, cut). */
export const CONVERSATION_TITLE_LENGTH = 200;

/** Sort key of the conversation index: `<conversationId>#<answerId>` (answer ids sort by time). */
export const conversationSortKey = (conversationId: string, answerId: string) =>
  `${conversationId}#${answerId}`;

/** The open-index shard of an answer: from the last character of its id (random ULID bits). */
export const openShardOf = (answerId: string) =>
  `open#${(answerId.codePointAt(answerId.length - 1) ?? 0) % OPEN_SHARDS}`;

const OPEN = { ':pending': 'PENDING', ':streaming': 'STREAMING' } satisfies Record<string, AnswerStatus>;
const IS_OPEN = '#status IN (:pending, :streaming)';
const OWNED_OPEN = `attribute_exists(answerId) AND tenantId = :tenantId AND ${IS_OPEN}`;
/** Answers stored before deadlines existed have none: they count as past it. */
const BEFORE_DEADLINE = 'deadlineAt > :now';
const PAST_DEADLINE = '(attribute_not_exists(deadlineAt) OR deadlineAt <= :now)';

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

const toAnswer = (item: Record<string, unknown>): Answer => ({
  userId: item.userId as UserId,
  answerId: item.answerId as AnswerId,
  tenantId: item.tenantId as TenantId,
  conversationId: String(item.conversationId),
  prompt: String(item.prompt ?? ''),
  status: item.status as AnswerStatus,
  text: String(item.text ?? ''),
  chunks: (item.chunks as Record<string, string> | undefined) ?? {},
  ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
  createdAt: String(item.createdAt),
  updatedAt: String(item.updatedAt),
  ...(typeof item.completedAt === 'string' ? { completedAt: item.completedAt } : {}),
  deadlineAt: typeof item.deadlineAt === 'string' ? item.deadlineAt : String(item.createdAt),
  expiresAt: Number(item.expiresAt),
});

const toConversation = (item: Record<string, unknown>): Conversation => ({
  userId: item.userId as UserId,
  tenantId: item.tenantId as TenantId,
  conversationId: String(item.conversationId),
  title: String(item.title ?? ''),
  createdAt: String(item.createdAt),
  lastPromptAt: String(item.lastPromptAt),
});

export interface AnswersTableNames {
  answers: () => string;
  conversations: () => string;
}

/**
 * The answers table (partition `userId`, sort `answerId`) and the conversations table (partition
 * `userId`, sort `conversationId`) as an {@link AnswersRepository}. Every state change is one
 * conditional write, so concurrent, repeated or late events cannot reopen, overwrite or
 * double-apply anything; `ConditionalCheckFailedException` becomes a domain outcome.
 *
 * @example const answers = createAnswersTable(documentClient, { answers: config.answersTableName, conversations: config.conversationsTableName });
 */
export const createAnswersTable = (
  client: DynamoDBDocumentClient,
  tables: AnswersTableNames,
): AnswersRepository => {
  /** One conditional UpdateItem; false when its condition refused it. */
  const update = async (input: {
    key: AnswerKey;
    set: string;
    remove?: string;
    condition: string;
    names: Record<string, string>;
    values: Record<string, unknown>;
  }): Promise<boolean> => {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tables.answers(),
          Key: { userId: input.key.userId, answerId: input.key.answerId },
          UpdateExpression: `SET ${input.set}${input.remove ? ` REMOVE ${input.remove}` : ''}`,
          ConditionExpression: input.condition,
          ExpressionAttributeNames: input.names,
          ExpressionAttributeValues: input.values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  /** Moves an open answer of this tenant to a final status, once; false when the condition refused it. */
  const finish = (
    key: AnswerKey,
    tenantId: TenantId,
    now: Date,
    change: { set: string; deadline: string; names: Record<string, string>; values: Record<string, unknown> },
  ) =>
    update({
      key,
      set: `${change.set}, updatedAt = :now`,
      remove: 'chunks, openShard',
      condition: `${OWNED_OPEN} AND ${change.deadline}`,
      names: { '#status': 'status', ...change.names },
      values: { ...OPEN, ...change.values, ':tenantId': tenantId, ':now': now.toISOString() },
    });

  return {
    async create(answer) {
      const title = answer.prompt.slice(0, CONVERSATION_TITLE_LENGTH);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tables.answers(),
                  Item: {
                    ...answer,
                    conversationSk: conversationSortKey(answer.conversationId, answer.answerId),
                    openShard: openShardOf(answer.answerId),
                  },
                  ConditionExpression: 'attribute_not_exists(answerId)',
                },
              },
              {
                Update: {
                  TableName: tables.conversations(),
                  Key: { userId: answer.userId, conversationId: answer.conversationId },
                  UpdateExpression:
                    'SET tenantId = :tenantId, title = if_not_exists(title, :title), createdAt = if_not_exists(createdAt, :now), lastPromptAt = :now, expiresAt = :expiresAt',
                  // A user belongs to one tenant; never let a conversation change tenant.
                  ConditionExpression: 'attribute_not_exists(tenantId) OR tenantId = :tenantId',
                  ExpressionAttributeValues: {
                    ':tenantId': answer.tenantId,
                    ':title': title,
                    ':now': answer.createdAt,
                    ':expiresAt': answer.expiresAt,
                  },
                },
              },
            ],
          }),
        );
      } catch (error) {
        const reasons = (error as Partial<TransactionCanceledException>).CancellationReasons;
        if (error instanceof TransactionCanceledException || reasons) {
          if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new AnswerAlreadyExistsError(error);
        }
        throw error;
      }
    },

    async get(key: AnswerKey) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tables.answers(),
          Key: { userId: key.userId, answerId: key.answerId },
          ConsistentRead: true,
        }),
      );
      return Item ? toAnswer(Item) : undefined;
    },

    async listByConversation(userId, conversationId, page) {
      const output = await client.send(
        new QueryCommand({
          TableName: tables.answers(),
          IndexName: CONVERSATION_INDEX,
          KeyConditionExpression: 'userId = :userId AND begins_with(conversationSk, :conversation)',
          ExpressionAttributeValues: { ':userId': userId, ':conversation': `${conversationId}#` },
          ScanIndexForward: true,
          ConsistentRead: true,
          Limit: page.limit,
          ...(page.after
            ? {
                ExclusiveStartKey: {
                  userId,
                  answerId: page.after,
                  conversationSk: conversationSortKey(conversationId, page.after),
                },
              }
            : {}),
        }),
      );
      const lastAnswerId = output.LastEvaluatedKey?.answerId as AnswerId | undefined;
      return { answers: (output.Items ?? []).map(toAnswer), ...(lastAnswerId ? { lastAnswerId } : {}) };
    },

    saveChunk(key, tenantId, seq, text, now) {
      return update({
        key,
        set: '#status = :streaming, chunks.#seq = :text, updatedAt = :now',
        condition: `${OWNED_OPEN} AND ${BEFORE_DEADLINE}`,
        names: { '#status': 'status', '#seq': String(seq) },
        values: { ...OPEN, ':text': text, ':tenantId': tenantId, ':now': now.toISOString() },
      });
    },

    complete(key, tenantId, text, now) {
      return finish(key, tenantId, now, {
        set: '#status = :completed, #text = :text, completedAt = :now',
        deadline: BEFORE_DEADLINE,
        names: { '#text': 'text' },
        values: { ':completed': 'COMPLETED', ':text': text },
      });
    },

    fail(key, tenantId, reason, now) {
      return finish(key, tenantId, now, {
        set: '#status = :failed, reason = :reason',
        deadline: BEFORE_DEADLINE,
        names: {},
        values: { ':failed': 'FAILED', ':reason': reason },
      });
    },

    expire(key, tenantId, now) {
      return finish(key, tenantId, now, {
        set: '#status = :failed, reason = :reason',
        deadline: PAST_DEADLINE,
        names: {},
        values: { ':failed': 'FAILED', ':reason': TIMED_OUT_REASON },
      });
    },

    async listOverdue(now, limit) {
      const shards = Array.from({ length: OPEN_SHARDS }, (_, index) => `open#${index}`);
      const perShard = Math.max(1, Math.ceil(limit / OPEN_SHARDS));
      const pages = await Promise.all(
        shards.map((shard) =>
          client.send(
            new QueryCommand({
              TableName: tables.answers(),
              IndexName: OPEN_INDEX,
              KeyConditionExpression: 'openShard = :shard AND deadlineAt <= :now',
              ExpressionAttributeValues: { ':shard': shard, ':now': now.toISOString() },
              Limit: perShard,
            }),
          ),
        ),
      );
      return pages
        .flatMap((page) => page.Items ?? [])
        .slice(0, limit)
        .map(
          (item): OverdueAnswer => ({
            userId: item.userId as UserId,
            answerId: item.answerId as AnswerId,
            tenantId: item.tenantId as TenantId,
          }),
        );
    },

    async listConversations(userId, page) {
      const output = await client.send(
        new QueryCommand({
          TableName: tables.conversations(),
          IndexName: RECENT_INDEX,
          KeyConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': userId },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: page.limit,
          ...(page.after ? { ExclusiveStartKey: { userId, ...page.after } } : {}),
        }),
      );
      const last = output.LastEvaluatedKey;
      return {
        conversations: (output.Items ?? []).map(toConversation),
        ...(last
          ? { last: { conversationId: String(last.conversationId), lastPromptAt: String(last.lastPromptAt) } }
          : {}),
      };
    },
  };
};
