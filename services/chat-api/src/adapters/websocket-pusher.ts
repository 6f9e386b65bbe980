import {
  type ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { ConnectionGoneError } from '../errors';
import type { ConnectionPusher } from '../ports';

/** Whether a management API error says the connection is gone (410). */
export const isGone = (error: unknown) => {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'GoneException' || $metadata?.httpStatusCode === 410;
};

/**
 * Posts JSON messages to WebSocket connections through the API Gateway management API; a connection
 * that is gone (410) becomes ConnectionGoneError.
 *
 * @example const pusher = createWebSocketPusher(managementApiClient);
 */
export const createWebSocketPusher = (client: () => ApiGatewayManagementApiClient): ConnectionPusher => ({
  async post(connectionId, message) {
    try {
      await client().send(
        new PostToConnectionCommand({
          ConnectionId: connectionId,
          Data: Buffer.from(JSON.stringify(message)),
        }),
      );
    } catch (error) {
      if (isGone(error)) throw new ConnectionGoneError(error);
      throw error;
    }
  },
});
