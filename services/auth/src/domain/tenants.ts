import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { tenantAdminGroupName, tenantGroupName } from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import type { TenantDirectory } from '../adapters/cognito';
import type { TenantPage, TenantRegistry } from '../adapters/tenants-table';
import { TenantConflictError, TenantNotFoundError, TenantOffboardedError } from '../errors';
import { invitationInput, inviteUser } from './invitations';
import {
  definitionOf,
  isLive,
  type StoredTenant,
  type TenantChanges,
  type TenantDefinition,
  type TenantRecord,
  tenantChangesInput,
  tenantDefinitionInput,
} from './tenant-record';
import { parseInput } from './validation';

export { tenantGroupName } from '@tenant-assistant/tenant-context';
export type { TenantDefinition } from './tenant-record';
/** The input of onboardTenant: the TenantOnboarded contract, unknown keys refused. */
export const onboardTenantInput = tenantDefinitionInput;

const DEFINITION_FIELDS = ['name', 'returnPolicyDays', 'tier'] as const;

const differences = (stored: TenantDefinition, requested: TenantDefinition): string[] =>
  DEFINITION_FIELDS.filter((field) => stored[field] !== requested[field]).map(
    (field) => `${field} ${JSON.stringify(stored[field])} (requested ${JSON.stringify(requested[field])})`,
  );

/** The ports of the tenant lifecycle. */
export interface TenantLifecycleDeps {
  registry: TenantRegistry;
  directory: TenantDirectory;
  eventBridge: EventBridgeClient;
  /** The control-plane bus `tenant-assistant-control-<stage>`. */
  eventBusName: string;
  logger: Logger;
  now?: () => Date;
}
export type OnboardTenantDeps = TenantLifecycleDeps;

export interface OnboardTenantResult {
  tenant: TenantDefinition;
  groupName: string;
  /** False when the same request had already been applied (the event is published again). */
  created: boolean;
}

const nowOf = (deps: { now?: () => Date }) => (deps.now ?? (() => new Date()))().toISOString();

/**
 * Onboards a tenant: validates `{tenantId, name, returnPolicyDays, tier}`, stores it in the tenant
 * registry (ACTIVE), makes sure its user group `tenant-<id>` and admin group `admin-<id>` exist,
 * then publishes `TenantOnboarded`. The same request again succeeds without creating anything and
 * publishes the event again (so a failed step is repaired by retrying); a request that differs from
 * the stored definition throws TenantConflictError and publishes nothing.
 *
 * @example await onboardTenant(deps, { tenantId: 'acme', name: 'Acme', returnPolicyDays: 30, tier: 'standard' });
 */
export const onboardTenant = async (
  deps: TenantLifecycleDeps,
  input: unknown,
): Promise<OnboardTenantResult> => {
  const tenant = parseInput('onboardTenant', onboardTenantInput, input);
  const stored = await deps.registry.create(tenant, nowOf(deps));
  if (!stored.created) {
    if (!isLive(stored.existing)) throw new TenantOffboardedError(tenant.tenantId);
    const changed = differences(stored.existing, tenant);
    if (changed.length > 0) {
      throw new TenantConflictError(
        `Tenant ${tenant.tenantId} is already onboarded with a different definition: ${changed.join(', ')}`,
      );
    }
  }
  const groupName = tenantGroupName(tenant.tenantId);
  await deps.directory.ensureGroup(groupName, `Users of tenant ${tenant.tenantId}`);
  await deps.directory.ensureGroup(
    tenantAdminGroupName(tenant.tenantId),
    `Administrators of tenant ${tenant.tenantId}`,
  );

  await putEvents(deps.eventBridge, deps.eventBusName, [{ detailType: 'TenantOnboarded', detail: tenant }]);
  deps.logger.info(stored.created ? 'Tenant onboarded' : 'Tenant already onboarded; event published again', {
    tenant_id: tenant.tenantId,
    tier: tenant.tier,
  });
  return { tenant, groupName, created: stored.created };
};

/** A tenant, or TenantNotFoundError. */
export const getTenant = async (
  deps: Pick<TenantLifecycleDeps, 'registry'>,
  tenantId: string,
): Promise<StoredTenant> => {
  const tenant = await deps.registry.get(tenantId);
  if (!tenant) throw new TenantNotFoundError(tenantId);
  return tenant;
};

/** The query of listTenants: `limit` 1–100 (default 25) and the `cursor` a previous page returned. */
export const listTenantsInput = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(1024).optional(),
});

/** One page of tenants (ordered by id within the page) and the cursor of the next. */
export const listTenants = async (
  deps: Pick<TenantLifecycleDeps, 'registry'>,
  query: unknown,
): Promise<TenantPage> => {
  const { limit, cursor } = parseInput('listTenants', listTenantsInput, query ?? {});
  return deps.registry.list({ limit, ...(cursor ? { cursor } : {}) });
};

/**
 * Changes a tenant's name, return-policy days and/or tier, then publishes `TenantUpdated` with the
 * whole new definition (order-action-group applies it to TenantConfig). Repeating the same update
 * writes the same values and publishes again.
 */
export const updateTenant = async (
  deps: TenantLifecycleDeps,
  tenantId: string,
  input: unknown,
): Promise<TenantRecord> => {
  const changes: TenantChanges = parseInput('updateTenant', tenantChangesInput, input);
  const updated = await deps.registry.update(tenantId, changes, nowOf(deps));
  if (!updated) throw new TenantNotFoundError(tenantId);
  await putEvents(deps.eventBridge, deps.eventBusName, [
    { detailType: 'TenantUpdated', detail: definitionOf(updated) },
  ]);
  deps.logger.info('Tenant updated', { tenant_id: tenantId, changed: Object.keys(changes) });
  return updated;
};

const setStatus = async (
  deps: TenantLifecycleDeps,
  tenantId: string,
  status: 'ACTIVE' | 'SUSPENDED',
): Promise<TenantRecord> => {
  const updated = await deps.registry.setStatus(tenantId, status, nowOf(deps));
  if (!updated) throw new TenantNotFoundError(tenantId);
  await putEvents(deps.eventBridge, deps.eventBusName, [
    status === 'SUSPENDED'
      ? { detailType: 'TenantSuspended', detail: { tenantId } }
      : { detailType: 'TenantResumed', detail: { tenantId } },
  ]);
  deps.logger.info(status === 'SUSPENDED' ? 'Tenant suspended' : 'Tenant resumed', { tenant_id: tenantId });
  return updated;
};

/**
 * Suspends a tenant: its users can no longer sign in (the pre-token trigger refuses them) and
 * `TenantSuspended` tells the other services (chat-api refuses their prompts). Idempotent.
 */
export const suspendTenant = (deps: TenantLifecycleDeps, tenantId: string) =>
  setStatus(deps, tenantId, 'SUSPENDED');

/** Resumes a suspended tenant (`TenantResumed`). Idempotent. */
export const resumeTenant = (deps: TenantLifecycleDeps, tenantId: string) =>
  setStatus(deps, tenantId, 'ACTIVE');

/** The input of createTenant: the definition plus the first tenant admin to invite. */
export const createTenantInput = tenantDefinitionInput.extend({ firstAdmin: invitationInput });

/**
 * Creates a tenant (as {@link onboardTenant}) and invites its first tenant admin, to whom Cognito
 * sends the invitation. Repeating it with the same definition and a new admin adds that admin.
 */
export const createTenant = async (deps: TenantLifecycleDeps, input: unknown) => {
  const { firstAdmin, ...definition } = parseInput('createTenant', createTenantInput, input);
  const onboarded = await onboardTenant(deps, definition);
  const admin = await inviteUser(deps, definition.tenantId, firstAdmin, { admin: true });
  return {
    tenant: await getTenant(deps, definition.tenantId),
    created: onboarded.created,
    firstAdmin: admin,
  };
};
