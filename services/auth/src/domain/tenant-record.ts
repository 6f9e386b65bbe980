import type {
  OffboardingRecord,
  OffboardingStep,
  StoredTenant,
  TenantDefinition,
  TenantRecord,
  TenantTombstone,
} from '@tenant-assistant/contracts/admin';
import {
  detailSchemas,
  OFFBOARDING_SERVICES,
  type OffboardingService,
  TENANT_TIERS,
} from '@tenant-assistant/contracts/events';
import * as z from 'zod';

/** The registry's items are the admin API's views (one home: `@tenant-assistant/contracts/admin`). */
export type {
  OffboardingRecord,
  OffboardingStep,
  StoredTenant,
  TenantDefinition,
  TenantRecord,
  TenantTombstone,
} from '@tenant-assistant/contracts/admin';
export { TENANT_STATUSES, type TenantStatus } from '@tenant-assistant/contracts/events';

/** A new offboarding record: every service PENDING. */
export const newOffboardingRecord = (requestedAt: string): OffboardingRecord => ({
  requestedAt,
  services: Object.fromEntries(
    OFFBOARDING_SERVICES.map((service) => [service, { status: 'PENDING' }]),
  ) as Record<OffboardingService, OffboardingStep>,
});

/** Whether every service has reported its part done. */
export const offboardingComplete = (record: OffboardingRecord): boolean =>
  OFFBOARDING_SERVICES.every((service) => record.services[service]?.status === 'DONE');

/** The tombstone an offboarding leaves (the only fields kept). */
export const tombstoneOf = (record: StoredTenant, now: string): TenantTombstone => ({
  tenantId: record.tenantId,
  status: 'OFFBOARDED',
  offboarding: { ...(record.offboarding ?? newOffboardingRecord(now)), completedAt: now },
  createdAt: record.createdAt,
  updatedAt: now,
});

/** Whether the tenant is live (ACTIVE or SUSPENDED): the contract's rule. */
export { isLiveTenant as isLive } from '@tenant-assistant/contracts/admin';

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
