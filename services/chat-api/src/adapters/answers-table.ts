import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AnswerId, TenantId, UserId } from '@tenant-assistant/tenant-context';
import type { Answer, AnswerKey, AnswerProgress, AnswerStatus } from '../answers/model';
import { AnswerAlreadyExistsError, AnswerVersionConflictError } from '../errors';
import type { AnswersRepository } from '../ports';

/** Local secondary index of the answers table: partition `userId`, sort `conversationSk`. */
export const CONVERSATION_INDEX = 'conversation-index';

/** Sort key of the conversation index: `<conversationId>#<answerId>` (answer ids sort by time). */
export const conversationSortKey = (conversationId: string, answerId: string) =>
  `${conversationId}#${answerId}`;

const OPEN = { ':pending': 'PENDING', ':streaming': 'STREAMING' } satisfies Record<string, AnswerStatus>;
const NAMES = { '#status': 'status', '#version': 'version' };
const WITH_TEXT = { ...NAMES, '#text': 'text' };
const IS_OPEN = '#status IN (:pending, :streaming)';

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
  lastSeq: Number(item.lastSeq ?? -1),
  pendingChunks: (item.pendingChunks as Record<string, string> | undefined) ?? {},
  ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
  version: Number(item.version ?? 0),
  createdAt: String(item.createdAt),
  updatedAt: String(item.updatedAt),
  ...(typeof item.completedAt === 'string' ? { completedAt: item.completedAt } : {}),
  expiresAt: Number(item.expiresAt),
});

/**
 * The answers table (partition `userId`, sort `answerId`) as an {@link AnswersRepository}. Every
 * state change is a conditional write, so concurrent or repeated events cannot reopen, overwrite or
 * double-apply anything; `ConditionalCheckFailedException` becomes a domain outcome.
 *
 * @example const answers = createAnswersTable(documentClient, config.answersTableName);
 */
export const createAnswersTable = (
  client: DynamoDBDocumentClient,
  tableName: () => string,
): AnswersRepository => ({
  async create(answer) {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...answer, conversationSk: conversationSortKey(answer.conversationId, answer.answerId) },
          ConditionExpression: 'attribute_not_exists(answerId)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new AnswerAlreadyExistsError(error);
      throw error;
    }
  },

  async get(key: AnswerKey) {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName(),
        Key: { userId: key.userId, answerId: key.answerId },
        ConsistentRead: true,
      }),
    );
    return Item ? toAnswer(Item) : undefined;
  },

  async listByConversation(userId, conversationId, page) {
    const output = await client.send(
      new QueryCommand({
        TableName: tableName(),
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

  async saveProgress(key, expectedVersion, progress: AnswerProgress, now) {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { userId: key.userId, answerId: key.answerId },
          UpdateExpression:
            'SET #status = :streaming, #text = :text, lastSeq = :lastSeq, pendingChunks = :pendingChunks, updatedAt = :now, #version = #version + :one',
          ConditionExpression: `attribute_exists(answerId) AND #version = :expectedVersion AND ${IS_OPEN}`,
          ExpressionAttributeNames: WITH_TEXT,
          ExpressionAttributeValues: {
            ...OPEN,
            ':text': progress.text,
            ':lastSeq': progress.lastSeq,
            ':pendingChunks': progress.pendingChunks,
            ':now': now.toISOString(),
            ':one': 1,
            ':expectedVersion': expectedVersion,
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new AnswerVersionConflictError(error);
      throw error;
    }
  },

  async complete(key, tenantId, text, now) {
    return finish(client, tableName(), key, tenantId, now, {
      update: '#status = :completed, #text = :text, completedAt = :now',
      names: WITH_TEXT,
      values: { ':completed': 'COMPLETED', ':text': text },
    });
  },

  async fail(key, tenantId, reason, now) {
    return finish(client, tableName(), key, tenantId, now, {
      update: '#status = :failed, reason = :reason',
      names: NAMES,
      values: { ':failed': 'FAILED', ':reason': reason },
    });
  },
});

/** Moves an open answer of this tenant to a final status, once; false when the condition refused it. */
const finish = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: AnswerKey,
  tenantId: TenantId,
  now: Date,
  change: { update: string; names: Record<string, string>; values: Record<string, string> },
): Promise<boolean> => {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { userId: key.userId, answerId: key.answerId },
        UpdateExpression: `SET ${change.update}, pendingChunks = :noChunks, updatedAt = :now, #version = #version + :one`,
        ConditionExpression: `attribute_exists(answerId) AND tenantId = :tenantId AND ${IS_OPEN}`,
        ExpressionAttributeNames: change.names,
        ExpressionAttributeValues: {
          ...OPEN,
          ...change.values,
          ':tenantId': tenantId,
          ':noChunks': {},
          ':now': now.toISOString(),
          ':one': 1,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};
