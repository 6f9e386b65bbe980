import type { TenantContext } from '@tenant-assistant/tenant-context';
import { ConnectionGoneError } from '../errors';
import type { ConnectionPusher, ConnectionsRepository, Logger, ServerMessage } from '../ports';

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

/**
 * Pushes `message` to every open connection of exactly this user in exactly this tenant (never to
 * anyone else's). Connections that are gone (410) are deleted; other failures are logged and do not
 * stop the remaining pushes.
 *
 * @example await pushToOwner(deps, { tenantId, userId }, { type: 'answer.completed', answerId, text });
 */
export const pushToOwner = async (
  deps: PushDeps,
  owner: TenantContext,
  message: ServerMessage,
): Promise<PushOutcome> => {
  const connections = (await deps.connections.listByUser(owner.userId)).filter(
    (connection) => connection.tenantId === owner.tenantId,
  );
  const results = await Promise.allSettled(
    connections.map(async ({ connectionId }) => {
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
