import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantId } from '@tenant-assistant/tenant-context';
import { mockClient } from 'aws-sdk-client-mock';
import { TenantNotProvisionedError, TenantSuspendedError } from '../errors';
import { createTenantTiers } from './tenant-tiers';

const ddb = mockClient(DynamoDBDocumentClient);
const tenant = 'tenant1' as TenantId;
/** Tenant tiers over the mocked registry, cached for `ttlMs`. */
const tiersCachedFor = (ttlMs: number, onUnknownTier?: (tenantId: string) => void) =>
  createTenantTiers(DynamoDBDocumentClient.from(new DynamoDBClient({})), {
    tableName: () => 'tenants',
    ttlMs,
    ...(onUnknownTier ? { onUnknownTier } : {}),
  });
/** The registry answers `first` once, then `then`. */
const registryAnswers = (first: Record<string, unknown>, then: Record<string, unknown>) =>
  ddb.on(GetCommand).resolvesOnce({ Item: first }).resolves({ Item: then });

beforeEach(() => ddb.reset());

describe('tenant tiers', () => {
  it("reads the tenant's tier from the tenant registry and keeps it for the cache time", async () => {
    // Prepare
    registryAnswers({ tier: 'standard' }, { tier: 'premium' });
    const tiers = tiersCachedFor(60_000);

    // Act
    const first = await tiers.tierOf(tenant);
    const second = await tiers.tierOf(tenant);

    // Assess
    expect([first, second]).toEqual(['standard', 'standard']);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'tenants',
      Key: { tenantId: 'tenant1' },
      ProjectionExpression: 'tier, #status',
      ExpressionAttributeNames: { '#status': 'status' },
    });
  });

  it('sees a changed tier once the cached one has expired', async () => {
    // Prepare
    registryAnswers({ tier: 'basic' }, { tier: 'premium' });
    const tiers = tiersCachedFor(1);
    await tiers.tierOf(tenant);
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Act
    const changed = await tiers.tierOf(tenant);

    // Assess
    expect(changed).toBe('premium');
  });

  it('refuses a tenant that is not in the registry (403)', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});
    const tiers = tiersCachedFor(60_000);

    // Act
    const refusal = tiers.tierOf(tenant);

    // Assess
    await expect(refusal).rejects.toBeInstanceOf(TenantNotProvisionedError);
    await expect(refusal).rejects.toMatchObject({ statusCode: 403, code: 'TENANT_NOT_PROVISIONED' });
  });

  it.each(['OFFBOARDING', 'OFFBOARDED'])(
    'refuses a tenant whose status is %s as not provisioned (403)',
    async (status) => {
      // Prepare: an offboarded tenant's tombstone has no tier
      ddb.on(GetCommand).resolves({ Item: { tier: 'premium', status } });
      const tiers = tiersCachedFor(60_000);

      // Act
      const refusal = tiers.tierOf(tenant);

      // Assess
      await expect(refusal).rejects.toBeInstanceOf(TenantNotProvisionedError);
    },
  );

  it('refuses a suspended tenant (403), and admits it again once resumed and the cached status expired', async () => {
    // Prepare
    registryAnswers({ tier: 'premium', status: 'SUSPENDED' }, { tier: 'premium', status: 'ACTIVE' });
    const tiers = tiersCachedFor(1);

    // Act
    const refusal = tiers.tierOf(tenant).catch((error: unknown) => error);
    const refused = await refusal;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const resumed = await tiers.tierOf(tenant);

    // Assess
    expect(refused).toBeInstanceOf(TenantSuspendedError);
    expect(refused).toMatchObject({ statusCode: 403, code: 'TENANT_SUSPENDED' });
    expect(resumed).toBe('premium');
  });

  it('treats an unknown tier as the lowest and reports it', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: { tier: 'platinum' } });
    const unknown = jest.fn();
    const tiers = tiersCachedFor(60_000, unknown);

    // Act
    const tier = await tiers.tierOf(tenant);

    // Assess
    expect(tier).toBe('basic');
    expect(unknown).toHaveBeenCalledWith('tenant1');
  });
});
