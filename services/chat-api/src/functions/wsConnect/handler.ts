import { lambdaHandler } from '@tenant-assistant/lambda-kit/http';
import type { WithTenant } from '@tenant-assistant/tenant-context/middleware';
import { type ConnectDeps, connect } from '../../connections/connections';
import { defaults } from '../../defaults';
import {
  type HttpDeps,
  type HttpResult,
  type WebSocketConnectEvent,
  type WebSocketConnectHandler,
  webSocketConnectMiddlewares,
} from '../../http/middlewares';

/** WebSocket `$connect` (the browser passes its ID token as `?token=`). */
export type ConnectEvent = WithTenant<WebSocketConnectEvent>;
export type Deps = ConnectDeps & Omit<HttpDeps, 'webOrigins'>;

/** Stores the connection with the verified user and tenant; a missing or bad token (401/403) refuses it. */
export const makeHandler =
  (deps: Deps) =>
  async (event: ConnectEvent): Promise<HttpResult> => {
    await connect(deps, event.tenant, event.requestContext.connectionId);
    return { statusCode: 200, body: '' };
  };

export const createHandler = (deps: Deps): WebSocketConnectHandler =>
  lambdaHandler(webSocketConnectMiddlewares(deps), makeHandler(deps));

export const handler = createHandler(defaults);
