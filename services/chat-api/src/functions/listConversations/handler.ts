import { listConversations, parseListConversationsQuery } from '../../answers/list-conversations';
import { defaults } from '../../defaults';
import { type HttpDeps, type HttpRouteEvent, httpRoute, jsonResponse } from '../../http/middlewares';
import type { AnswersRepository } from '../../ports';

export type ListConversationsEvent = HttpRouteEvent;
export type Deps = { answers: AnswersRepository } & HttpDeps;

/** `GET /conversations?limit=…&cursor=…` → the caller's conversations, most recent prompt first. */
export const makeHandler = (deps: Deps) => async (event: ListConversationsEvent) => {
  const query = parseListConversationsQuery(event.queryStringParameters);
  const page = await listConversations(deps, event.tenant, query);
  return jsonResponse(200, page);
};

export const createHandler = httpRoute(makeHandler);

export const handler = createHandler(defaults);
