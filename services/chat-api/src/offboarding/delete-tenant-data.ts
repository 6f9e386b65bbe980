import type { Logger } from '@aws-lambda-powertools/logger';
import type { TenantId } from '@tenant-assistant/tenant-context';
import type { TenantData } from '../adapters/tenant-data';
import { TenantNotOffboardingError } from '../errors';
import type { PublishEvents, TenantStandings } from '../ports';

/** The ports of {@link deleteTenantData}. */
export interface OffboardingDeps {
  tenantData: TenantData;
  /** auth's tenant registry: the event is acted on only for a tenant it marks as offboarding. */
  standings: Pick<TenantStandings, 'get'>;
  /** Publishes to auth's control bus (the report). */
  publishControl: PublishEvents;
  logger: Logger;
  /**
   * Waits until no container can still admit the tenant's prompts from a cached standing (the
   * tier cache's lifetime), so that nothing is written after the deletion.
   */
  settle: () => Promise<void>;
}

/** Registry statuses under which a `TenantOffboarded` is acted on (a repeat after the tombstone too). */
const OFFBOARDING_STATUSES: ReadonlySet<string> = new Set(['OFFBOARDING', 'OFFBOARDED']);

/**
 * The bus policy lets only auth publish `TenantOffboarded`; this is the second guard: the registry
 * must say the tenant is being offboarded (auth writes that before it publishes), so a stray or
 * replayed event can never delete an active tenant's data.
 */
const requireOffboarding = async (standings: OffboardingDeps['standings'], tenantId: string) => {
  const standing = await standings.get(tenantId as TenantId);
  if (!standing || !OFFBOARDING_STATUSES.has(standing.status))
    throw new TenantNotOffboardingError(tenantId, standing?.status);
};

/**
 * Deletes everything this service holds of an offboarded tenant — answers, conversations,
 * connections (each open WebSocket closed), its and its users' rate-limit counters, usage items —
 * and reports `TenantChatDataDeleted` with the counts. Idempotent: a repeat finds nothing and
 * reports zeros. (The agent-invoker's idempotency records are not ours; they expire by TTL.)
 * Refused, deleting nothing, unless the registry marks the tenant `OFFBOARDING` or `OFFBOARDED`.
 */
export const deleteTenantData = async (deps: OffboardingDeps, tenantId: string) => {
  const { tenantData } = deps;
  await requireOffboarding(deps.standings, tenantId);
  await deps.settle();
  const answers = await tenantData.deleteAnswers(tenantId);
  const conversations = await tenantData.deleteConversations(tenantId);
  const connectionIds = await tenantData.deleteConnections(tenantId);
  let closed = 0;
  for (const connectionId of connectionIds) if (await tenantData.closeConnection(connectionId)) closed += 1;
  const userIds = new Set([...answers, ...conversations].map((key) => String(key.userId)));
  const rateLimits = await tenantData.deleteRateLimits(tenantId, userIds);
  const usage = await tenantData.deleteUsage(tenantId);
  const deleted = {
    answers: answers.length,
    conversations: conversations.length,
    connections: connectionIds.length,
    connectionsClosed: closed,
    rateLimits,
    usage,
  };
  await deps.publishControl([{ detailType: 'TenantChatDataDeleted', detail: { tenantId, deleted } }]);
  deps.logger.info('Tenant data deleted', { deleted });
  return { tenantId, deleted };
};
