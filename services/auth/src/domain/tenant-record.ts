import {
  detailSchemas,
  type EventDetail,
  OFFBOARDING_SERVICES,
  type OffboardingService,
  TENANT_TIERS,
  type TenantStatus,
} from '@tenant-assistant/contracts/events';
import * as z from 'zod';

export { TENANT_STATUSES, type TenantStatus } from '@tenant-assistant/contracts/events';

/** What defines a tenant: exactly the detail of `TenantOnboarded`. */
export type TenantDefinition = EventDetail<'TenantOnboarded'>;

/** One service's part of an offboarding: PENDING until it reports what it deleted. */
export type OffboardingStep =
  | { status: 'PENDING' }
  | { status: 'DONE'; doneAt: string; deleted: Record<string, number> };

/** The offboarding record on a registry item: when it was asked for, each service's step, when it ended. */
export interface OffboardingRecord {
  requestedAt: string;
  services: Record<OffboardingService, OffboardingStep>;
  completedAt?: string;
}

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

/** A tenant as the registry keeps it (and the admin API shows it) until it is offboarded. */
export interface TenantRecord extends TenantDefinition {
  status: Exclude<TenantStatus, 'OFFBOARDED'>;
  createdAt: string;
  updatedAt: string;
  /** Present from the offboarding request on (status OFFBOARDING). */
  offboarding?: OffboardingRecord;
}

/**
 * What the registry keeps of an offboarded tenant, and nothing else of it is kept anywhere: its id,
 * status, the offboarding record (what each service deleted, when) and the timestamps.
 */
export interface TenantTombstone {
  tenantId: TenantDefinition['tenantId'];
  status: 'OFFBOARDED';
  offboarding: OffboardingRecord;
  createdAt: string;
  updatedAt: string;
}

/** A registry item: a live tenant or the tombstone of an offboarded one. */
export type StoredTenant = TenantRecord | TenantTombstone;

/** The tombstone an offboarding leaves (the only fields kept). */
export const tombstoneOf = (record: StoredTenant, now: string): TenantTombstone => ({
  tenantId: record.tenantId,
  status: 'OFFBOARDED',
  offboarding: { ...(record.offboarding ?? newOffboardingRecord(now)), completedAt: now },
  createdAt: record.createdAt,
  updatedAt: now,
});

/**
 * Whether the tenant is live (ACTIVE or SUSPENDED); one being or having been offboarded may not be
 * changed or given users any more.
 */
export const isLive = (record: StoredTenant): record is TenantRecord =>
  record.status === 'ACTIVE' || record.status === 'SUSPENDED';

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
