import type { EventDetail, OffboardingService, TenantStatus } from './events';

/**
 * The admin API (auth service: tenants for platform admins, users of one's own tenant for tenant
 * admins): the views its routes answer with, shared by auth and the web app's admin area.
 * Browser-safe (types only).
 */

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

/** A registry item (`GET /admin/tenants/{tenantId}`): a live tenant or the tombstone of an offboarded one. */
export type StoredTenant = TenantRecord | TenantTombstone;

/**
 * Whether the tenant is live (ACTIVE or SUSPENDED); one being or having been offboarded may not be
 * changed or given users any more.
 */
export const isLiveTenant = (tenant: StoredTenant): tenant is TenantRecord =>
  tenant.status === 'ACTIVE' || tenant.status === 'SUSPENDED';

/** `GET /admin/tenants`: one page of tenants and the cursor of the next. */
export interface TenantPage {
  items: StoredTenant[];
  nextCursor?: string;
}

/** A user of the caller's tenant as `GET /admin/users/{username}` shows it. */
export interface TenantUserView {
  username: string;
  userId: string | undefined;
  email: string | undefined;
  status: string | undefined;
  enabled: boolean;
  createdAt: string | undefined;
  tenantAdmin: boolean;
}

/** `GET /admin/users`: one page of the caller's tenant's users and the cursor of the next. */
export interface TenantUserPage {
  items: TenantUserView[];
  nextCursor?: string;
}

/** The role a tenant admin grants (`POST /admin/users/{username}/roles`) and revokes. */
export const TENANT_ADMIN_ROLE = 'tenant-admin';
