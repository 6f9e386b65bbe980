import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { usageDay, usageMonth, usageSortKeys } from '@tenant-assistant/tenant-context/tiers';
import type { TokenUsage } from './agent';

/** One answer's usage, to be counted once. */
export interface AnswerUsage extends TokenUsage {
  readonly tenantId: string;
  readonly userId: string;
  readonly answerId: string;
  /** When the answer ended (its day and month take the tokens). */
  readonly at: Date;
}

/** Records token usage; resolves false when this answer was counted before (a redelivery). */
export type UsageMeter = (usage: AnswerUsage) => Promise<boolean>;

/** Day items and answer markers are kept this long (months stay). */
export const USAGE_DAY_TTL_DAYS = 400;

/**
 * Adds one answer's tokens (and one prompt) to the tenant's and the user's day and month in the
 * usage table, in one transaction with a marker item `answer#<answerId>` that must not exist yet:
 * a redelivered or retried answer is refused as a whole and never counts twice.
 *
 * @example const meter = createUsageMeter(documentClient, config.usageTableName); await meter({ ...owner, inputTokens, outputTokens, at });
 */
export const createUsageMeter =
  (client: DynamoDBDocumentClient, tableName: string): UsageMeter =>
  async (usage) => {
    const month = usageMonth(usage.at);
    const day = usageDay(usage.at);
    const expiresAt = Math.floor(usage.at.getTime() / 1000) + USAGE_DAY_TTL_DAYS * 86_400;
    const add = (sk: string, period: string, extra: { expires?: boolean; user?: boolean }) => ({
      Update: {
        TableName: tableName,
        Key: { tenantId: usage.tenantId, sk },
        UpdateExpression: `ADD inputTokens :in, outputTokens :out, prompts :one SET #period = :period${
          extra.user ? ', userId = :user' : ''
        }${extra.expires ? ', expiresAt = :expiresAt' : ''}`,
        ExpressionAttributeNames: { '#period': 'period' },
        ExpressionAttributeValues: {
          ':in': usage.inputTokens,
          ':out': usage.outputTokens,
          ':one': 1,
          ':period': period,
          ...(extra.user ? { ':user': usage.userId } : {}),
          ...(extra.expires ? { ':expiresAt': expiresAt } : {}),
        },
      },
    });
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  tenantId: usage.tenantId,
                  sk: usageSortKeys.answer(usage.answerId),
                  userId: usage.userId,
                  inputTokens: usage.inputTokens,
                  outputTokens: usage.outputTokens,
                  meteredAt: usage.at.toISOString(),
                  expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(sk)',
              },
            },
            add(usageSortKeys.month(month), month, {}),
            add(usageSortKeys.day(day), day, { expires: true }),
            add(usageSortKeys.userMonth(usage.userId, month), month, { user: true }),
            add(usageSortKeys.userDay(usage.userId, day), day, { user: true, expires: true }),
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  };
