import { parseSubmitPrompt, type SubmitPromptDeps, submitPrompt } from '../../answers/submit-prompt';
import { defaults } from '../../defaults';
import { type HttpDeps, type HttpJsonRouteEvent, httpJsonRoute, jsonResponse } from '../../http/middlewares';

/** `POST /prompts` after the middlewares: JSON body parsed, caller verified. */
export type SubmitPromptEvent = HttpJsonRouteEvent;
export type Deps = SubmitPromptDeps & HttpDeps;

/** `POST /prompts {prompt, conversationId?}` → `202 {answerId, conversationId}`. */
export const makeHandler = (deps: Deps) => async (event: SubmitPromptEvent) => {
  const input = parseSubmitPrompt(event.body);
  const accepted = await submitPrompt(deps, event.tenant, input);
  return jsonResponse(202, accepted);
};

export const createHandler = httpJsonRoute(makeHandler);

export const handler = createHandler(defaults);
