import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import { type ActionGroupEvent, type ActionGroupResponse, buildResponse, failureResponse } from './envelope';

export interface ActionGroupFailuresOptions {
  logger: Logger;
}

/**
 * middy middleware for action-group Lambdas: whatever fails — missing or invalid session attributes,
 * an unknown function, a malformed envelope, a bug — the agent gets Bedrock's FAILURE envelope with
 * a safe message, the error is logged without secrets, and the Lambda never crashes.
 * Use it after `sessionAttributesTenantContext`: its `onError` then runs first, while the tenant's
 * log keys are still set, and it also answers that middleware's refusals.
 *
 * @example middy(handler).use(sessionAttributesTenantContext({ logger })).use(actionGroupFailures({ logger }))
 */
export const actionGroupFailures = <E extends Partial<ActionGroupEvent>>(
  options: ActionGroupFailuresOptions,
): MiddlewareObj<E, ActionGroupResponse> => {
  const actionGroupFailuresOnError = async (request: Request<E, ActionGroupResponse>) => {
    if (request.response !== undefined) return;
    request.response = buildResponse(
      request.event,
      failureResponse(options.logger, request.event, request.error),
    );
  };
  return { onError: actionGroupFailuresOnError };
};
