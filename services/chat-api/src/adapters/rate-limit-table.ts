import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitedError } from '../errors';
import type { RateLimiter } from '../ports';

/** Length of a rate-limit window, seconds. */
export const WINDOW_SECONDS = 60;

/**
 * A fixed-window per-user prompt counter in DynamoDB: one item per (user, minute), incremented
 * atomically with `ADD` only while it is below the limit (so concurrent requests cannot exceed it),
 * deleted by TTL once the window is over.
 *
 * @example const rateLimiter = createRateLimitTable(documentClient, { tableName, limit: config.promptsPerMinute });
 */
export const createRateLimitTable = (
  client: DynamoDBDocumentClient,
  options: { tableName: () => string; limit: () => number },
): RateLimiter => ({
  async consume(userId, now) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % WINDOW_SECONDS);
    try {
      await client.send(
        new UpdateCommand({
          TableName: options.tableName(),
          Key: { pk: `prompts#${userId}#${windowStart}` },
          UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': options.limit(),
            ':expiresAt': windowStart + 2 * WINDOW_SECONDS,
          },
        }),
      );
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        throw new RateLimitedError(Math.max(1, windowStart + WINDOW_SECONDS - nowSeconds), error);
      }
      throw error;
    }
  },
});
