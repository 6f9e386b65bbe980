import middy from '@middy/core';
import type { WithTenant } from '@tenant-assistant/tenant-context/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { listAnswers, parseListAnswersQuery, type ReadAnswersDeps } from '../../answers/read-answers';
import { defaults } from '../../defaults';
import { type HttpApiHandler, type HttpDeps, httpApiMiddlewares, jsonResponse } from '../../http/middlewares';

export type ListAnswersEvent = WithTenant<APIGatewayProxyEventV2WithJWTAuthorizer>;
export type Deps = ReadAnswersDeps & HttpDeps;

/** `GET /answers?conversationId=…&limit=…&cursor=…` → the caller's answers in that conversation, newest last. */
export const makeHandler = (deps: Deps) => async (event: ListAnswersEvent) => {
  const query = parseListAnswersQuery(event.queryStringParameters);
  const page = await listAnswers(deps, event.tenant, query);
  return jsonResponse(200, page);
};

export const createHandler = (deps: Deps): HttpApiHandler =>
  middy(makeHandler(deps)).use(httpApiMiddlewares(deps)) as unknown as HttpApiHandler;

export const handler = createHandler(defaults);
