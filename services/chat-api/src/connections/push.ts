import type { TenantContext } from '@tenant-assistant/tenant-context';
import { ConnectionGoneError } from '../errors';
import type { Connection, ConnectionPusher, ConnectionsRepository, Logger, ServerMessage } from '../ports';

export interface PushDeps {
  connections: ConnectionsRepository;
  pusher: ConnectionPusher;
  logger: Logger;
}

/** How a push went: messages delivered, and gone connections removed. */
export interface PushOutcome {
  delivered: number;
  removed: number;
  failed: number;
}

/** A lookup of the open connections of exactly one owner (user in a tenant), started ahead of the push. */
export interface OwnerConnections {
  readonly owner: TenantContext;
  readonly connections: Promise<readonly Pick<Connection, 'connectionId' | 'tenantId'>[]>;
}

/**
 * Starts looking up the owner's open connections, so the lookup can overlap with the write that
 * decides whether anything is pushed at all. Looking up pushes nothing; a failed lookup only fails
 * the push that awaits it (never an unhandled rejection when nothing does).
 *
 * @example const lookup = lookUpOwnerConnections(deps, owner); … await pushToOwner(deps, owner, message, lookup);
 */
export const lookUpOwnerConnections = (
  deps: Pick<PushDeps, 'connections'>,
  owner: TenantContext,
): OwnerConnections => {
  const connections = deps.connections.listByUser(owner.userId);
  connections.catch(() => {});
  return { owner: { tenantId: owner.tenantId, userId: owner.userId }, connections };
};

/**
 * Pushes `message` to every open connection of exactly this user in exactly this tenant (never to
 * anyone else's). Connections that are gone (410) are deleted; other failures are logged and do not
 * stop the remaining pushes. `lookup` is a lookup of this owner's connections already under way.
 *
 * @example await pushToOwner(deps, { tenantId, userId }, { type: 'answer.completed', answerId, text });
 */
export const pushToOwner = async (
  deps: PushDeps,
  owner: TenantContext,
  message: ServerMessage,
  lookup: OwnerConnections = lookUpOwnerConnections(deps, owner),
): Promise<PushOutcome> => {
  if (lookup.owner.userId !== owner.userId || lookup.owner.tenantId !== owner.tenantId) {
    throw new Error('The connections were looked up for another owner');
  }
  const ownConnections = (await lookup.connections).filter(
    (connection) => connection.tenantId === owner.tenantId,
  );
  const results = await Promise.allSettled(
    ownConnections.map(async ({ connectionId }) => {
      try {
        await deps.pusher.post(connectionId, message);
        return 'delivered' as const;
      } catch (error) {
        if (!(error instanceof ConnectionGoneError)) throw error;
        await deps.connections.delete(connectionId);
        return 'removed' as const;
      }
    }),
  );
  const outcome: PushOutcome = { delivered: 0, removed: 0, failed: 0 };
  for (const result of results) {
    if (result.status === 'fulfilled') outcome[result.value] += 1;
    else {
      outcome.failed += 1;
      deps.logger.warn('Pushing to a WebSocket connection failed', { error: result.reason });
    }
  }
  return outcome;
};
