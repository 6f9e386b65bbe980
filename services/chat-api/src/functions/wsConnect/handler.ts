import middy from '@middy/core';
import type { WithTenant } from '@tenant-assistant/tenant-context/middleware';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { type ConnectDeps, connect } from '../../connections/connections';
import { defaults } from '../../defaults';
import { type HttpDeps, webSocketConnectMiddlewares } from '../../http/middlewares';

/** WebSocket `$connect` (the browser passes its ID token as `?token=`). */
export type ConnectEvent = WithTenant<
  APIGatewayProxyWebsocketEventV2 & {
    headers?: Record<string, string | undefined>;
    queryStringParameters?: Record<string, string | undefined>;
  }
>;
export type Deps = ConnectDeps & Omit<HttpDeps, 'webOrigins'>;

/** Stores the connection with the verified user and tenant; a missing or bad token (401/403) refuses it. */
export const makeHandler = (deps: Deps) => async (event: ConnectEvent) => {
  await connect(deps, event.tenant, event.requestContext.connectionId);
  return { statusCode: 200, body: '' };
};

export const createHandler = (deps: Deps) => middy(makeHandler(deps)).use(webSocketConnectMiddlewares(deps));

export const handler = createHandler(defaults);
