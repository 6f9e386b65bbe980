import middy from '@middy/core';
import type { WithTenant } from '@tenant-assistant/tenant-context/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { listConversations, parseListConversationsQuery } from '../../answers/list-conversations';
import { defaults } from '../../defaults';
import { type HttpApiHandler, type HttpDeps, httpApiMiddlewares, jsonResponse } from '../../http/middlewares';
import type { AnswersRepository } from '../../ports';

export type ListConversationsEvent = WithTenant<APIGatewayProxyEventV2WithJWTAuthorizer>;
export type Deps = { answers: AnswersRepository } & HttpDeps;

/** `GET /conversations?limit=…&cursor=…` → the caller's conversations, most recent prompt first. */
export const makeHandler = (deps: Deps) => async (event: ListConversationsEvent) => {
  const query = parseListConversationsQuery(event.queryStringParameters);
  const page = await listConversations(deps, event.tenant, query);
  return jsonResponse(200, page);
};

export const createHandler = (deps: Deps): HttpApiHandler =>
  middy(makeHandler(deps)).use(httpApiMiddlewares(deps)) as unknown as HttpApiHandler;

export const handler = createHandler(defaults);
