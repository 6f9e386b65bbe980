import middy from '@middy/core';
import type { WithTenant } from '@tenant-assistant/tenant-context/middleware';
import { type ConnectDeps, connect } from '../../connections/connections';
import { defaults } from '../../defaults';
import {
  type HttpDeps,
  type WebSocketConnectEvent,
  type WebSocketConnectHandler,
  webSocketConnectMiddlewares,
} from '../../http/middlewares';

/** WebSocket `$connect` (the browser passes its ID token as `?token=`). */
export type ConnectEvent = WithTenant<WebSocketConnectEvent>;
export type Deps = ConnectDeps & Omit<HttpDeps, 'webOrigins'>;

/** Stores the connection with the verified user and tenant; a missing or bad token (401/403) refuses it. */
export const makeHandler = (deps: Deps) => async (event: ConnectEvent) => {
  await connect(deps, event.tenant, event.requestContext.connectionId);
  return { statusCode: 200, body: '' };
};

export const createHandler = (deps: Deps): WebSocketConnectHandler =>
  middy(makeHandler(deps)).use(webSocketConnectMiddlewares(deps)) as unknown as WebSocketConnectHandler;

export const handler = createHandler(defaults);
