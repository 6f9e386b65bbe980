import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantId } from '@tenant-assistant/tenant-context';
import { isTenantTier, type TenantTier } from '@tenant-assistant/tenant-context/tiers';
import { LRUCache } from 'lru-cache';
import { TenantNotProvisionedError, TenantSuspendedError } from '../errors';
import type { TenantTiers } from '../ports';

type Standing = TenantTier | 'missing' | 'suspended';

/**
 * Reads a tenant's tier and status from auth's tenant registry (the item the admin API's tenant
 * update and suspension change; control-plane data, not tenant data) and keeps them for `ttlMs` per
 * container, so a change reaches every container within that time without a read per prompt. A
 * tenant not in the registry (never onboarded), or being or having been offboarded, is refused with
 * TenantNotProvisionedError, a suspended one with TenantSuspendedError; an item with an unknown tier
 * is treated as the lowest tier and reported.
 *
 * @example const tiers = createTenantTiers(documentClient, { tableName: config.tenantRegistryTableName, ttlMs: 30_000 });
 */
export const createTenantTiers = (
  client: DynamoDBDocumentClient,
  options: { tableName: () => string; ttlMs: number; onUnknownTier?: (tenantId: string) => void },
): TenantTiers => {
  const cache = new LRUCache<TenantId, Standing>({
    max: 10_000,
    ttl: options.ttlMs,
    fetchMethod: async (tenantId) => {
      const { Item } = await client.send(
        new GetCommand({
          TableName: options.tableName(),
          Key: { tenantId },
          ProjectionExpression: 'tier, #status',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      );
      // Offboarding or offboarded: only a tombstone is left, as good as never onboarded.
      if (!Item || Item.status === 'OFFBOARDING' || Item.status === 'OFFBOARDED') return 'missing';
      if (Item.status === 'SUSPENDED') return 'suspended';
      if (isTenantTier(Item.tier)) return Item.tier;
      options.onUnknownTier?.(tenantId);
      return 'basic';
    },
  });
  return {
    async tierOf(tenantId) {
      const standing = await cache.fetch(tenantId);
      if (standing === 'suspended') throw new TenantSuspendedError();
      if (standing === undefined || standing === 'missing') throw new TenantNotProvisionedError();
      return standing;
    },
  };
};
