import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { usageSortKeys } from '@tenant-assistant/tenant-context/tiers';
import type { UsageReader } from '../ports';

/**
 * Reads the tenant's month total from the usage table.
 *
 * @example const usage = createUsageReader(documentClient, config.usageTableName);
 */
export const createUsageReader = (client: DynamoDBDocumentClient, tableName: () => string): UsageReader => ({
  async monthTokens(tenantId, month) {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName(),
        Key: { tenantId, sk: usageSortKeys.month(month) },
        ProjectionExpression: 'inputTokens, outputTokens',
      }),
    );
    return Number(Item?.inputTokens ?? 0) + Number(Item?.outputTokens ?? 0);
  },
});
