import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import type { OffboardingService } from '@tenant-assistant/contracts/events';
import { type TenantContext, tenantAdminGroupName, tenantGroupName } from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import type { TenantDirectory } from '../adapters/cognito';
import type { TenantFiles } from '../adapters/tenant-files';
import type { TenantRegistry } from '../adapters/tenants-table';
import { SelfChangeRefusedError, TenantNotFoundError } from '../errors';
import { offboardingComplete, type StoredTenant, tombstoneOf } from './tenant-record';
import { parseInput } from './validation';

/** The ports of offboarding. */
export interface OffboardingDeps {
  registry: TenantRegistry;
  directory: TenantDirectory;
  files: TenantFiles;
  eventBridge: EventBridgeClient;
  /** The control-plane bus `tenant-assistant-control-<stage>`. */
  eventBusName: string;
  logger: Logger;
  now?: () => Date;
}

const nowOf = (deps: { now?: () => Date }) => (deps.now ?? (() => new Date()))().toISOString();

/** The body of the offboard route: `confirm` repeats the tenant id (a typed confirmation). */
const confirmationInput = (tenantId: string) =>
  z.strictObject({
    confirm: z.literal(tenantId, { error: `must repeat the tenant id (${JSON.stringify(tenantId)})` }),
  });

/** Page size when listing a group's users (Cognito's maximum). */
const USERS_PAGE = 60;

/** Every user of a group whose immutable tenant is `tenantId` (a user of another tenant is never touched). */
const tenantUsersOf = async (directory: TenantDirectory, groupName: string, tenantId: string) => {
  if ((await directory.getGroupDescription(groupName)) === undefined) return [];
  const usernames: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await directory.listUsersInGroup(groupName, {
      limit: USERS_PAGE,
      ...(nextToken ? { nextToken } : {}),
    });
    for (const user of page.users) if (user.tenantId === tenantId) usernames.push(user.username);
    nextToken = page.nextToken;
  } while (nextToken);
  return usernames;
};

/**
 * Auth's own part: every user of the tenant's groups (`tenant-<id>`, `admin-<id>`) signed out
 * everywhere and deleted, both groups deleted, every file under `<id>/` in the tenant-files bucket
 * deleted. Each step skips what is already gone, so a repeat finishes what a failed run left.
 */
export const deleteAuthData = async (
  deps: Pick<OffboardingDeps, 'directory' | 'files'>,
  tenantId: string,
): Promise<Record<string, number>> => {
  const groups = [tenantGroupName(tenantId), tenantAdminGroupName(tenantId)];
  const usernames = new Set<string>();
  for (const group of groups) {
    for (const username of await tenantUsersOf(deps.directory, group, tenantId)) usernames.add(username);
  }
  let users = 0;
  for (const username of usernames) {
    if ((await deps.directory.removeUser(username)) === 'removed') users += 1;
  }
  let deletedGroups = 0;
  for (const group of groups) {
    if ((await deps.directory.deleteGroup(group)) === 'deleted') deletedGroups += 1;
  }
  const files = await deps.files.deleteAll(tenantId);
  return { users, groups: deletedGroups, files };
};

/**
 * Records that `service` has deleted its part (`deleted` = counts by kind); when every service has,
 * replaces the registry item by the tombstone (status OFFBOARDED). A report for a tenant that is not
 * OFFBOARDING, or a repeated one, changes nothing. Returns the record after it.
 */
export const recordOffboardingStep = async (
  deps: Pick<OffboardingDeps, 'registry' | 'logger' | 'now'>,
  tenantId: string,
  service: OffboardingService,
  deleted: Record<string, number>,
): Promise<StoredTenant | undefined> => {
  const now = nowOf(deps);
  const updated = await deps.registry.markOffboardingStep(tenantId, service, deleted, now);
  if (!updated) {
    deps.logger.info('Offboarding report ignored (not offboarding, or already recorded)', {
      tenant_id: tenantId,
      offboarding_service: service,
    });
    const current = await deps.registry.get(tenantId);
    return current && completeIfDone(deps, current, now);
  }
  deps.logger.info('Offboarding step done', { tenant_id: tenantId, offboarding_service: service, deleted });
  return completeIfDone(deps, updated, now);
};

const completeIfDone = async (
  deps: Pick<OffboardingDeps, 'registry' | 'logger'>,
  record: StoredTenant,
  now: string,
): Promise<StoredTenant> => {
  if (record.status !== 'OFFBOARDING' || !record.offboarding || !offboardingComplete(record.offboarding)) {
    return record;
  }
  const tombstone = tombstoneOf(record, now);
  if (await deps.registry.storeTombstone(tombstone)) {
    deps.logger.info('Tenant offboarded', { tenant_id: record.tenantId });
    return tombstone;
  }
  return (await deps.registry.get(record.tenantId)) ?? tombstone;
};

/**
 * Offboards a tenant (platform admins; `input` must be `{confirm: <tenantId>}`): status OFFBOARDING
 * with an offboarding record (each service PENDING), auth's own part ({@link deleteAuthData}, then
 * DONE), then `TenantOffboarded`, which every other service answers by deleting its part and
 * reporting back ({@link recordOffboardingStep}). Repeating it redoes what is missing and publishes
 * again; an OFFBOARDED tenant's tombstone is returned unchanged. The caller's own tenant is refused
 * (it would delete the caller).
 */
export const offboardTenant = async (
  deps: OffboardingDeps,
  caller: TenantContext,
  tenantId: string,
  input: unknown,
): Promise<StoredTenant> => {
  parseInput('offboardTenant', confirmationInput(tenantId), input);
  if (caller.tenantId === tenantId) throw new SelfChangeRefusedError('offboard the tenant of');
  const started = await deps.registry.beginOffboarding(tenantId, nowOf(deps));
  if (!started) throw new TenantNotFoundError(tenantId);
  if (started.status === 'OFFBOARDED') return started;

  const deleted = await deleteAuthData(deps, tenantId);
  const afterAuth = (await recordOffboardingStep(deps, tenantId, 'auth', deleted)) ?? started;
  await putEvents(deps.eventBridge, deps.eventBusName, [
    { detailType: 'TenantOffboarded', detail: { tenantId } },
  ]);
  deps.logger.info('Tenant offboarding requested', { tenant_id: tenantId, deleted });
  return afterAuth;
};
