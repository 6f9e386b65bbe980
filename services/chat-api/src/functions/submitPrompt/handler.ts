import middy from '@middy/core';
import type { WithTenant } from '@tenant-assistant/tenant-context/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { parseSubmitPrompt, type SubmitPromptDeps, submitPrompt } from '../../answers/submit-prompt';
import { defaults } from '../../defaults';
import { type HttpApiHandler, type HttpDeps, httpApiMiddlewares, jsonResponse } from '../../http/middlewares';

/** `POST /prompts` after the middlewares: JSON body parsed, caller verified. */
export type SubmitPromptEvent = WithTenant<
  Omit<APIGatewayProxyEventV2WithJWTAuthorizer, 'body'> & { body?: unknown }
>;
export type Deps = SubmitPromptDeps & HttpDeps;

/** `POST /prompts {prompt, conversationId?}` → `202 {answerId, conversationId}`. */
export const makeHandler = (deps: Deps) => async (event: SubmitPromptEvent) => {
  const input = parseSubmitPrompt(event.body);
  const accepted = await submitPrompt(deps, event.tenant, input);
  return jsonResponse(202, accepted);
};

export const createHandler = (deps: Deps): HttpApiHandler =>
  middy(makeHandler(deps)).use(httpApiMiddlewares(deps, { jsonBody: true })) as unknown as HttpApiHandler;

export const handler = createHandler(defaults);
