import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { lambdaHandler, middlewareChain } from '@tenant-assistant/lambda-kit/http';
import { outcomeMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { disconnect } from '../../connections/connections';
import { defaults } from '../../defaults';
import { metrics, tracer } from '../../observability';
import type { ConnectionsRepository, Logger } from '../../ports';

export interface Deps {
  connections: ConnectionsRepository;
  logger: Logger;
}

/** WebSocket `$disconnect`: forgets the connection (API Gateway supplies the id; no token is sent). */
export const makeHandler = (deps: Deps) => async (event: APIGatewayProxyWebsocketEventV2) => {
  await disconnect(deps, event.requestContext.connectionId);
  return { statusCode: 200, body: '' };
};

export const createHandler = (deps: Deps) =>
  lambdaHandler(
    middlewareChain<APIGatewayProxyWebsocketEventV2>(
      traceInvocation(tracer),
      injectLambdaContext(deps.logger),
      // No token on $disconnect: service-wide only.
      outcomeMetrics({ metrics, name: 'WebSocketDisconnect', dimensions: () => ({}) }),
    ),
    makeHandler(deps),
  );

export const handler = createHandler(defaults);
