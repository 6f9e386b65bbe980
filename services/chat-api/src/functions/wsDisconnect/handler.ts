import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { lambdaHandler, middlewareChain } from '@tenant-assistant/lambda-kit/http';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { disconnect } from '../../connections/connections';
import { defaults } from '../../defaults';
import type { ConnectionsRepository, Logger } from '../../ports';
import { tracer } from '../../observability';

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
    ),
    makeHandler(deps),
  );

export const handler = createHandler(defaults);
