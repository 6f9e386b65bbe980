import { BedrockFunctionResponse } from '@aws-lambda-powertools/event-handler/bedrock-agent';
import type {
  BedrockAgentFunctionEvent,
  BedrockAgentFunctionResponse,
} from '@aws-lambda-powertools/event-handler/types';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { WithScopedCredentials } from '@tenant-assistant/tenant-context/middleware';

/**
 * The function-details event Bedrock sends an action-group Lambda. Session attributes are
 * string → string (as the agent-invoker sets them); the tenant-context middleware reads them.
 */
export type ActionGroupEvent = Omit<
  BedrockAgentFunctionEvent,
  'sessionAttributes' | 'promptSessionAttributes'
> & {
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
};

/** An action-group event after `sessionAttributesTenantContext`: `tenant` and `scopedCredentials` set. */
export type ActionGroupEventWithTenant = WithScopedCredentials<ActionGroupEvent>;

/** The function-details response envelope Bedrock expects. */
export type ActionGroupResponse = BedrockAgentFunctionResponse;

/** The body of a FAILURE response: a stable code and a message safe to show to the model. */
export interface FailureBody {
  error: string;
  message: string;
}

/** Safe messages for outcomes whose own message is not exposed (5xx). */
const SAFE_MESSAGES: Record<string, string> = {
  DATA_UNAVAILABLE: 'The order data is unavailable right now; please try again later',
  TENANT_CONFIG_INVALID: "The tenant's configuration is invalid",
  ORDER_DATA_INVALID: 'An order record could not be read',
};
const INTERNAL: FailureBody = { error: 'INTERNAL_ERROR', message: 'Internal error' };

const isCoded = (error: unknown): error is Error & { code: string; expose?: boolean } =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string';

/**
 * Maps any error to a FAILURE body without leaking internals: exposed (4xx) errors of this service or
 * tenant-context keep their code and message; other coded errors get a fixed safe message; anything
 * else (including raw SDK errors) is an `INTERNAL_ERROR`.
 */
export const failureBody = (error: unknown): FailureBody => {
  if (!isCoded(error)) return INTERNAL;
  if (error.expose === true) return { error: error.code, message: error.message };
  const message = SAFE_MESSAGES[error.code];
  return message ? { error: error.code, message } : INTERNAL;
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * A response for Bedrock: the body and, for a refusal, the FAILURE state. It never carries session or
 * prompt session attributes — they hold the scoped credentials and the tenant's identity, which Bedrock
 * already has and keeps for the session when a response leaves them out.
 */
export const functionResponse = (body: unknown, responseState?: 'FAILURE'): BedrockFunctionResponse =>
  new BedrockFunctionResponse({ body: JSON.stringify(body), ...(responseState ? { responseState } : {}) });

/**
 * Only what Bedrock needs back: `messageVersion` and `response`. Powertools' builder adds
 * `sessionAttributes` / `promptSessionAttributes` (empty, or the event's when a tool returns plain
 * data); they are dropped here so no credentials or identity ever travel back to the agent.
 */
export const bedrockResponseOnly = (built: ActionGroupResponse): ActionGroupResponse => ({
  messageVersion: built.messageVersion,
  response: built.response,
});

/** The function-details response envelope of `response` for `event`'s action group and function. */
export const buildResponse = (
  event: Partial<ActionGroupEvent> | undefined,
  response: BedrockFunctionResponse,
): ActionGroupResponse =>
  bedrockResponseOnly(response.build({ actionGroup: text(event?.actionGroup), func: text(event?.function) }));

/**
 * Logs a refused or failed action as an error (code, error and function; never the event or the
 * credentials; the logger redacts anything secret-shaped) and returns the FAILURE response for it.
 * Denials by IAM are also marked as security events.
 */
export const failureResponse = (
  logger: Logger,
  event: Partial<ActionGroupEvent> | undefined,
  error: unknown,
): BedrockFunctionResponse => {
  const body = failureBody(error);
  logger.error('Action failed', {
    error_code: body.error,
    action_group: text(event?.actionGroup),
    function: text(event?.function).slice(0, 100),
    ...(body.error === 'ACCESS_DENIED' ? { security_event: 'TENANT_DATA_ACCESS_DENIED' } : {}),
    error,
  });
  return functionResponse(body, 'FAILURE');
};
