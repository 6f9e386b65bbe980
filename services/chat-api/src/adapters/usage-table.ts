import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UsageTotals } from '@tenant-assistant/contracts/http';
import type { TenantId } from '@tenant-assistant/tenant-context';
import { usageSortKeys } from '@tenant-assistant/tenant-context/tiers';
import { UsageReadError } from '../errors';
import type { UsageReader, UsageReports } from '../ports';

/** Keys per BatchGetItem call (DynamoDB's limit). */
const BATCH_GET_LIMIT = 100;
/** Rounds of retrying the keys DynamoDB left unprocessed, and the first pause between them. */
export const BATCH_GET_RETRIES = 5;
const BATCH_GET_BACKOFF_MS = 25;

const TOTALS = 'inputTokens, outputTokens, prompts';

/** The totals of a usage item (an absent item, or an absent counter, is zero). */
const totalsOf = (item: Record<string, unknown> | undefined): UsageTotals => {
  const inputTokens = Number(item?.inputTokens ?? 0);
  const outputTokens = Number(item?.outputTokens ?? 0);
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    prompts: Number(item?.prompts ?? 0),
  };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every page of a Query, items only. */
const queryAll = async (
  client: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** The last day of a month `YYYY-MM`, `YYYY-MM-DD`. */
const lastDayOf = (month: string): string => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, monthNumber, 0)).getUTCDate()).padStart(2, '0')}`;
};

/**
 * The usage reports over the usage table the agent-invoker writes (partition `tenantId`; sort keys
 * from tenant-context's `usageSortKeys`: `month#…`, `day#…`, `user#<sub>#month#…`,
 * `user#<sub>#day#…`, each item with `inputTokens`, `outputTokens`, `prompts` and its `period`).
 * Every read names the tenant's partition.
 *
 * @example const usage = createUsageReports(documentClient, config.usageTableName);
 */
export const createUsageReports = (
  client: DynamoDBDocumentClient,
  tableName: () => string,
  options: { backoffMs?: number } = {},
): UsageReports => ({
  async month(tenantId, month) {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName(),
        Key: { tenantId, sk: usageSortKeys.month(month) },
        ProjectionExpression: TOTALS,
      }),
    );
    return totalsOf(Item);
  },

  async months(tenantIds, month) {
    const table = tableName();
    const totals = new Map<TenantId, UsageTotals>();
    const backoffMs = options.backoffMs ?? BATCH_GET_BACKOFF_MS;
    for (let start = 0; start < tenantIds.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = tenantIds
        .slice(start, start + BATCH_GET_LIMIT)
        .map((tenantId) => ({ tenantId, sk: usageSortKeys.month(month) }));
      for (let round = 0; keys.length > 0; round += 1) {
        if (round > BATCH_GET_RETRIES) {
          throw new UsageReadError(keys.length);
        }
        if (round > 0) await pause(backoffMs * 2 ** (round - 1));
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: keys, ProjectionExpression: `tenantId, ${TOTALS}` } },
          }),
        );
        for (const item of Responses?.[table] ?? []) totals.set(item.tenantId as TenantId, totalsOf(item));
        keys = UnprocessedKeys?.[table]?.Keys ?? [];
      }
    }
    return totals;
  },

  async days(tenantId, month) {
    const items = await queryAll(client, {
      TableName: tableName(),
      KeyConditionExpression: 'tenantId = :tenantId AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':tenantId': tenantId,
        ':first': usageSortKeys.day(`${month}-01`),
        ':last': usageSortKeys.day(lastDayOf(month)),
      },
      ProjectionExpression: `sk, ${TOTALS}`,
    });
    const prefix = usageSortKeys.day('');
    return new Map(items.map((item) => [String(item.sk).slice(prefix.length), totalsOf(item)]));
  },

  async users(tenantId, month) {
    const items = await queryAll(client, {
      TableName: tableName(),
      KeyConditionExpression: 'tenantId = :tenantId AND begins_with(sk, :users)',
      FilterExpression: '#period = :month',
      ExpressionAttributeNames: { '#period': 'period' },
      ExpressionAttributeValues: { ':tenantId': tenantId, ':users': 'user#', ':month': month },
      ProjectionExpression: `userId, ${TOTALS}`,
    });
    return new Map(items.map((item) => [String(item.userId), totalsOf(item)]));
  },
});

/**
 * Reads the tenant's month total (input + output tokens) for the token budget.
 *
 * @example const usage = createUsageReader(documentClient, config.usageTableName);
 */
export const createUsageReader = (client: DynamoDBDocumentClient, tableName: () => string): UsageReader => {
  const reports = createUsageReports(client, tableName);
  return {
    async monthTokens(tenantId, month) {
      return (await reports.month(tenantId, month)).totalTokens;
    },
  };
};
