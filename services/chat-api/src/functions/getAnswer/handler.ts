import middy from '@middy/core';
import type { WithTenant } from '@tenant-assistant/tenant-context/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { getAnswer, type ReadAnswersDeps } from '../../answers/read-answers';
import { defaults } from '../../defaults';
import { type HttpApiHandler, type HttpDeps, httpApiMiddlewares, jsonResponse } from '../../http/middlewares';

export type GetAnswerEvent = WithTenant<APIGatewayProxyEventV2WithJWTAuthorizer>;
export type Deps = ReadAnswersDeps & HttpDeps;

/** `GET /answers/{answerId}` → the caller's answer, else 404 (another user's answer is "not found" too). */
export const makeHandler = (deps: Deps) => async (event: GetAnswerEvent) => {
  const answer = await getAnswer(deps, event.tenant, event.pathParameters?.answerId);
  return jsonResponse(200, answer);
};

export const createHandler = (deps: Deps): HttpApiHandler =>
  middy(makeHandler(deps)).use(httpApiMiddlewares(deps)) as unknown as HttpApiHandler;

export const handler = createHandler(defaults);
