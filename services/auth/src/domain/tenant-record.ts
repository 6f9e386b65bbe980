import { detailSchemas, type EventDetail, TENANT_TIERS } from '@tenant-assistant/contracts/events';
import * as z from 'zod';

/** What defines a tenant: exactly the detail of `TenantOnboarded`. */
export type TenantDefinition = EventDetail<'TenantOnboarded'>;

/** A tenant's lifecycle: ACTIVE tenants sign in and chat; SUSPENDED ones do neither. */
export const TENANT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** A tenant as the registry keeps it (and the admin API shows it). */
export interface TenantRecord extends TenantDefinition {
  status: TenantStatus;
  createdAt: string;
  updatedAt: string;
}

/** The input of onboardTenant: the TenantOnboarded contract, unknown keys refused. */
export const tenantDefinitionInput = detailSchemas.TenantOnboarded.strict();

/** The fields an update may change (at least one); `tier` is validated against the known tiers. */
export const tenantChangesInput = z
  .strictObject({
    name: detailSchemas.TenantOnboarded.shape.name.optional(),
    returnPolicyDays: detailSchemas.TenantOnboarded.shape.returnPolicyDays.optional(),
    tier: z.enum(TENANT_TIERS).optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'name, returnPolicyDays or tier must be given',
  });
export type TenantChanges = z.output<typeof tenantChangesInput>;

/** The definition part of a record (what the events carry). */
export const definitionOf = (record: TenantRecord): TenantDefinition => ({
  tenantId: record.tenantId,
  name: record.name,
  returnPolicyDays: record.returnPolicyDays,
  tier: record.tier,
});
