import { getAnswer, type ReadAnswersDeps } from '../../answers/read-answers';
import { defaults } from '../../defaults';
import { type HttpDeps, type HttpRouteEvent, httpRoute, jsonResponse } from '../../http/middlewares';

export type GetAnswerEvent = HttpRouteEvent;
export type Deps = ReadAnswersDeps & HttpDeps;

/** `GET /answers/{answerId}` → the caller's answer, else 404 (another user's answer is "not found" too). */
export const makeHandler = (deps: Deps) => async (event: GetAnswerEvent) => {
  const answer = await getAnswer(deps, event.tenant, event.pathParameters?.answerId);
  return jsonResponse(200, answer);
};

export const createHandler = httpRoute(makeHandler);

export const handler = createHandler(defaults);
