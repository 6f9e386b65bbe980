import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { detailSchemas, type EventDetail } from '@tenant-assistant/contracts/events';
import { tenantGroupName } from '@tenant-assistant/tenant-context';
import type { TenantDirectory } from '../adapters/cognito';
import { TenantConflictError } from '../errors';
import { parseInput } from './validation';

/** What defines a tenant: exactly the detail of `TenantOnboarded`. */
export type TenantDefinition = EventDetail<'TenantOnboarded'>;

/** The input of onboardTenant: the TenantOnboarded contract, unknown keys refused. */
export const onboardTenantInput = detailSchemas.TenantOnboarded.strict();

/** The Cognito group of a tenant's users (tenant-context's naming rule). */
export { tenantGroupName } from '@tenant-assistant/tenant-context';

const DEFINITION_FIELDS = ['tenantId', 'name', 'returnPolicyDays', 'tier'] as const;

/** The group description that records a tenant's definition: JSON with a fixed key order. */
export const encodeTenantDefinition = (definition: TenantDefinition): string =>
  JSON.stringify(Object.fromEntries(DEFINITION_FIELDS.map((field) => [field, definition[field]])));

/** Reads a definition back from a group description; `undefined` when it is not one. */
export const decodeTenantDefinition = (
  description: string | null | undefined,
): TenantDefinition | undefined => {
  if (!description) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(description);
  } catch {
    return undefined;
  }
  const result = onboardTenantInput.safeParse(value);
  return result.success ? result.data : undefined;
};

const differences = (stored: TenantDefinition, requested: TenantDefinition): string[] =>
  DEFINITION_FIELDS.filter((field) => stored[field] !== requested[field]).map(
    (field) => `${field} ${JSON.stringify(stored[field])} (requested ${JSON.stringify(requested[field])})`,
  );

export interface OnboardTenantDeps {
  directory: TenantDirectory;
  eventBridge: EventBridgeClient;
  /** The control-plane bus `tenant-assistant-control-<stage>`. */
  eventBusName: string;
  logger: Logger;
}

export interface OnboardTenantResult {
  tenant: TenantDefinition;
  groupName: string;
  /** False when the same request had already been applied (the event is published again). */
  created: boolean;
}

const assertSameDefinition = (
  groupName: string,
  description: string | null,
  requested: TenantDefinition,
): void => {
  const stored = decodeTenantDefinition(description);
  if (!stored) {
    throw new TenantConflictError(
      `Group ${groupName} already exists but was not created by onboardTenant (its description is not a tenant definition)`,
    );
  }
  const changed = differences(stored, requested);
  if (changed.length > 0) {
    throw new TenantConflictError(
      `Tenant ${requested.tenantId} is already onboarded with a different definition: ${changed.join(', ')}`,
    );
  }
};

/**
 * Onboards a tenant: validates `{tenantId, name, returnPolicyDays, tier}`, creates the Cognito group
 * `tenant-<tenantId>` whose description records the definition, then publishes `TenantOnboarded`.
 * The same request again succeeds without creating anything and publishes the event again (so a
 * failed publish is repaired by retrying); a conflicting repeat throws TenantConflictError and
 * publishes nothing.
 *
 * @example await onboardTenant(deps, { tenantId: 'acme', name: 'Acme', returnPolicyDays: 30, tier: 'standard' });
 */
export const onboardTenant = async (
  deps: OnboardTenantDeps,
  input: unknown,
): Promise<OnboardTenantResult> => {
  const tenant = parseInput('onboardTenant', onboardTenantInput, input);
  const groupName = tenantGroupName(tenant.tenantId);

  let created = false;
  const existing = await deps.directory.getGroupDescription(groupName);
  if (existing !== undefined) {
    assertSameDefinition(groupName, existing, tenant);
  } else if ((await deps.directory.createGroup(groupName, encodeTenantDefinition(tenant))) === 'created') {
    created = true;
  } else {
    // Another onboarding of the same tenant won the race: compare with what it stored.
    assertSameDefinition(groupName, (await deps.directory.getGroupDescription(groupName)) ?? null, tenant);
  }

  await putEvents(deps.eventBridge, deps.eventBusName, [{ detailType: 'TenantOnboarded', detail: tenant }]);
  deps.logger.info(created ? 'Tenant onboarded' : 'Tenant already onboarded; event published again', {
    tenant_id: tenant.tenantId,
    tier: tenant.tier,
  });
  return { tenant, groupName, created };
};
