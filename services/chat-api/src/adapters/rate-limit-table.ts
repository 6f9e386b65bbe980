import { setTimeout as sleep } from 'node:timers/promises';
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { LIMIT_CODES } from '@tenant-assistant/tenant-context/tiers';
import { LimitExceededError } from '../errors';
import type { AdmissionRequest, PromptLimiter } from '../ports';

/** Length of a rate-limit window, seconds. */
export const WINDOW_SECONDS = 60;
/** Retry-After of a prompt refused because too many answers are in flight, seconds. */
export const IN_FLIGHT_RETRY_SECONDS = 5;

/** Transactions retried when they collide with a concurrent prompt's on the same counter. */
const MAX_CONFLICTS = 8;
/** Slot-map repairs (create, sweep, lost race) before a prompt is refused for answers in flight. */
const MAX_REPAIRS = 3;

/** Keys of the counters, one table (`pk`). */
export const limitKeys = {
  tenantWindow: (tenantId: string, windowStart: number) => `prompts#tenant#${tenantId}#${windowStart}`,
  userWindow: (userId: string, windowStart: number) => `prompts#user#${userId}#${windowStart}`,
  inFlight: (tenantId: string) => `inflight#${tenantId}`,
};

const isConditionalFailure = (reason: { Code?: string } | undefined) =>
  reason?.Code === 'ConditionalCheckFailed';

const nameOf = (error: unknown) => (error as { name?: string } | null)?.name;

/**
 * The tier's counters in DynamoDB, one transaction per prompt so a refused prompt counts nowhere:
 *
 * - prompts per tenant and per user: fixed one-minute windows, one item each, `ADD count` only while
 *   below the limit; deleted by TTL after the window;
 * - answers in flight: one item per tenant whose map `slots` holds each open answer id with the
 *   time its slot lapses; a slot is taken only while the map is smaller than the limit and freed
 *   by `release` (REMOVE, idempotent) when the answer ends. A slot whose answer never reported back
 *   lapses after `slotSeconds` (the answer's deadline: it has ended by then, timed out at the
 *   latest), and lapsed slots are swept when they would refuse a prompt, so a lost completion can
 *   never block a tenant for good.
 *
 * @example const limiter = createPromptLimiter(documentClient, { tableName, slotSeconds: () => 120 });
 */
export const createPromptLimiter = (
  client: DynamoDBDocumentClient,
  options: { tableName: () => string; slotSeconds: () => number },
): PromptLimiter => {
  const windowCounter = (pk: string, limit: number, windowStart: number) => ({
    Update: {
      TableName: options.tableName(),
      Key: { pk },
      UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': limit,
        ':expiresAt': windowStart + 2 * WINDOW_SECONDS,
      },
    },
  });

  const transact = (request: AdmissionRequest, windowStart: number, nowSeconds: number) =>
    client.send(
      new TransactWriteCommand({
        TransactItems: [
          windowCounter(
            limitKeys.tenantWindow(request.tenantId, windowStart),
            request.limits.tenantPromptsPerMinute,
            windowStart,
          ),
          windowCounter(
            limitKeys.userWindow(request.userId, windowStart),
            request.limits.userPromptsPerMinute,
            windowStart,
          ),
          {
            Update: {
              TableName: options.tableName(),
              Key: { pk: limitKeys.inFlight(request.tenantId) },
              UpdateExpression: 'SET slots.#answer = :lapsesAt',
              ConditionExpression: 'attribute_exists(slots) AND size(slots) < :limit',
              ExpressionAttributeNames: { '#answer': request.answerId },
              ExpressionAttributeValues: {
                ':lapsesAt': nowSeconds + options.slotSeconds(),
                ':limit': request.limits.answersInFlight,
              },
            },
          },
        ],
      }),
    );

  /** Creates the tenant's empty slot map (first prompt ever); a concurrent creation is fine. */
  const createSlots = async (tenantId: string) => {
    try {
      await client.send(
        new PutCommand({
          TableName: options.tableName(),
          Item: { pk: limitKeys.inFlight(tenantId), slots: {} },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (nameOf(error) !== 'ConditionalCheckFailedException') throw error;
    }
  };

  /**
   * After a refused slot: creates a missing slot map, or removes the lapsed slots (each only if
   * unchanged). 'retry' when the slot may be free now (map created, slots swept, or freed meanwhile
   * by a concurrent answer), 'full' when every slot is held by an answer still running.
   */
  const repairSlots = async (
    tenantId: string,
    nowSeconds: number,
    limit: number,
  ): Promise<'retry' | 'full'> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: options.tableName(),
        Key: { pk: limitKeys.inFlight(tenantId) },
        ConsistentRead: true,
      }),
    );
    if (!Item?.slots) {
      await createSlots(tenantId);
      return 'retry';
    }
    const slots = Object.entries(Item.slots as Record<string, number>);
    const lapsed = slots.filter(([, lapsesAt]) => lapsesAt <= nowSeconds);
    if (lapsed.length === 0) return slots.length < limit ? 'retry' : 'full';
    const names = Object.fromEntries(lapsed.map(([answerId], i) => [`#a${i}`, answerId]));
    const values = Object.fromEntries(lapsed.map(([, lapsesAt], i) => [`:v${i}`, lapsesAt]));
    try {
      await client.send(
        new UpdateCommand({
          TableName: options.tableName(),
          Key: { pk: limitKeys.inFlight(tenantId) },
          UpdateExpression: `REMOVE ${lapsed.map((_, i) => `slots.#a${i}`).join(', ')}`,
          ConditionExpression: lapsed.map((_, i) => `slots.#a${i} = :v${i}`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (nameOf(error) !== 'ConditionalCheckFailedException') throw error;
    }
    return 'retry'; // swept now or by someone else meanwhile
  };

  return {
    async admit(request) {
      const nowSeconds = Math.floor(request.now.getTime() / 1000);
      const windowStart = nowSeconds - (nowSeconds % WINDOW_SECONDS);
      const untilNextWindow = windowStart + WINDOW_SECONDS - nowSeconds;
      let repairs = 0;
      let conflicts = 0;
      while (true) {
        try {
          await transact(request, windowStart, nowSeconds);
          return;
        } catch (error) {
          if (nameOf(error) !== 'TransactionCanceledException') throw error;
          const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
          if (isConditionalFailure(reasons[0]))
            throw new LimitExceededError(LIMIT_CODES.tenantRate, untilNextWindow, error);
          if (isConditionalFailure(reasons[1]))
            throw new LimitExceededError(LIMIT_CODES.userRate, untilNextWindow, error);
          if (isConditionalFailure(reasons[2])) {
            // No slot map yet (the tenant's first prompt), lapsed slots, or a race: repair, try again.
            const state =
              repairs < MAX_REPAIRS
                ? await repairSlots(request.tenantId, nowSeconds, request.limits.answersInFlight)
                : 'full';
            repairs += 1;
            if (state === 'full')
              throw new LimitExceededError(LIMIT_CODES.answersInFlight, IN_FLIGHT_RETRY_SECONDS, error);
            continue;
          }
          // Another prompt's transaction touched the same counter at the same moment: try again.
          if (reasons.some((reason) => reason.Code === 'TransactionConflict') && conflicts < MAX_CONFLICTS) {
            conflicts += 1;
            await sleep(Math.random() * 10 * conflicts);
            continue;
          }
          throw error;
        }
      }
    },

    async release(tenantId, answerId) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: options.tableName(),
            Key: { pk: limitKeys.inFlight(tenantId) },
            UpdateExpression: 'REMOVE slots.#answer',
            ConditionExpression: 'attribute_exists(slots)',
            ExpressionAttributeNames: { '#answer': answerId },
          }),
        );
      } catch (error) {
        if (nameOf(error) !== 'ConditionalCheckFailedException') throw error;
      }
    },
  };
};
