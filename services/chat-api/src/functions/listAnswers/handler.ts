import { listAnswers, parseListAnswersQuery, type ReadAnswersDeps } from '../../answers/read-answers';
import { defaults } from '../../defaults';
import { type HttpDeps, type HttpRouteEvent, httpRoute, jsonResponse } from '../../http/middlewares';

export type ListAnswersEvent = HttpRouteEvent;
export type Deps = ReadAnswersDeps & HttpDeps;

/** `GET /answers?conversationId=…&limit=…&cursor=…` → the caller's answers in that conversation, newest last. */
export const makeHandler = (deps: Deps) => async (event: ListAnswersEvent) => {
  const query = parseListAnswersQuery(event.queryStringParameters);
  const page = await listAnswers(deps, event.tenant, query);
  return jsonResponse(200, page);
};

export const createHandler = httpRoute(makeHandler);

export const handler = createHandler(defaults);
