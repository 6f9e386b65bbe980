import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantId } from '@tenant-assistant/tenant-context';
import { isTenantTier } from '@tenant-assistant/tenant-context/tiers';
import type { TenantStanding, TenantStandings } from '../ports';

const PROJECTION = {
  ProjectionExpression: 'tenantId, tier, #status',
  ExpressionAttributeNames: { '#status': 'status' },
};

/** A registry item as a standing (an unknown tier reads as the lowest, as the limits do). */
const standingOf = (item: Record<string, unknown>): TenantStanding => ({
  tenantId: String(item.tenantId) as TenantId,
  tier: isTenantTier(item.tier) ? item.tier : 'basic',
  status: typeof item.status === 'string' ? item.status : 'UNKNOWN',
});

/**
 * Tenants as auth's tenant registry holds them (one item per tenant, key `tenantId`): read one
 * (GetItem, strongly consistent) or page through all of them (Scan) for platform admins' usage reports.
 *
 * @example const standings = createTenantStandings(documentClient, config.tenantRegistryTableName);
 */
export const createTenantStandings = (
  client: DynamoDBDocumentClient,
  tableName: () => string,
): TenantStandings => ({
  async get(tenantId) {
    const { Item } = await client.send(
      // Strongly consistent: offboarding reads the status auth has just written.
      new GetCommand({ TableName: tableName(), Key: { tenantId }, ConsistentRead: true, ...PROJECTION }),
    );
    return Item ? standingOf(Item) : undefined;
  },

  async list({ limit, after }) {
    const { Items, LastEvaluatedKey } = await client.send(
      new ScanCommand({
        TableName: tableName(),
        Limit: limit,
        ...PROJECTION,
        ...(after ? { ExclusiveStartKey: { tenantId: after } } : {}),
      }),
    );
    const tenants = (Items ?? []).map(standingOf).sort((a, b) => a.tenantId.localeCompare(b.tenantId));
    return {
      tenants,
      ...(LastEvaluatedKey?.tenantId ? { last: String(LastEvaluatedKey.tenantId) as TenantId } : {}),
    };
  },
});
