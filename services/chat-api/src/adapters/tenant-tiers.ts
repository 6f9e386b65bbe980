import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantId } from '@tenant-assistant/tenant-context';
import { isTenantTier, type TenantTier } from '@tenant-assistant/tenant-context/tiers';
import { LRUCache } from 'lru-cache';
import { TenantNotProvisionedError } from '../errors';
import type { TenantTiers } from '../ports';

/**
 * Reads a tenant's tier from order-action-group's TenantConfig table (the item the admin API
 * updates) and keeps it for `ttlMs` per container, so a tier change reaches every container within
 * that time without a read per prompt. A tenant without a config item (never onboarded, or
 * offboarded) is refused with TenantNotProvisionedError; an item with an unknown tier is treated
 * as the lowest tier and logged.
 *
 * @example const tiers = createTenantTiers(documentClient, { tableName: config.tenantConfigTableName, ttlMs: 30_000 });
 */
export const createTenantTiers = (
  client: DynamoDBDocumentClient,
  options: { tableName: () => string; ttlMs: number; onUnknownTier?: (tenantId: string) => void },
): TenantTiers => {
  const cache = new LRUCache<TenantId, TenantTier | 'missing'>({
    max: 10_000,
    ttl: options.ttlMs,
    fetchMethod: async (tenantId) => {
      const { Item } = await client.send(
        new GetCommand({
          TableName: options.tableName(),
          Key: { tenantId },
          ProjectionExpression: 'tier',
        }),
      );
      if (!Item) return 'missing';
      if (isTenantTier(Item.tier)) return Item.tier;
      options.onUnknownTier?.(tenantId);
      return 'basic';
    },
  });
  return {
    async tierOf(tenantId) {
      const tier = await cache.fetch(tenantId);
      if (tier === undefined || tier === 'missing') throw new TenantNotProvisionedError();
      return tier;
    },
  };
};
