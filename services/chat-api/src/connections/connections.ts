import type { TenantContext } from '@tenant-assistant/tenant-context';
import type { Clock, ConnectionsRepository } from '../ports';

export interface ConnectDeps {
  connections: ConnectionsRepository;
  clock: Clock;
  connectionTtlSeconds: () => number;
}

/**
 * Remembers an open WebSocket connection with the verified user and tenant; it expires (TTL) after
 * `connectionTtlSeconds` even if `$disconnect` never arrives.
 *
 * @example await connect(deps, event.tenant, event.requestContext.connectionId);
 */
export const connect = async (
  deps: ConnectDeps,
  tenant: TenantContext,
  connectionId: string,
): Promise<void> => {
  const now = deps.clock();
  await deps.connections.put({
    connectionId,
    tenantId: tenant.tenantId,
    userId: tenant.userId,
    connectedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + deps.connectionTtlSeconds(),
  });
};

/** Forgets a closed WebSocket connection. @example await disconnect(deps, connectionId); */
export const disconnect = async (deps: { connections: ConnectionsRepository }, connectionId: string) =>
  deps.connections.delete(connectionId);
