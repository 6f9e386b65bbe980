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

const stringRecord = (value: unknown): Record<string, string> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      )
    : undefined;

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * A response for Bedrock (build it with {@link buildResponse}, or return it from a resolver tool).
 * Session attributes are handed back unchanged (as Powertools does), so a later action in the same
 * turn still has the tenant's context.
 */
export const functionResponse = (
  event: Partial<ActionGroupEvent> | undefined,
  body: unknown,
  responseState?: 'FAILURE',
): BedrockFunctionResponse => {
  const sessionAttributes = stringRecord(event?.sessionAttributes);
  const promptSessionAttributes = stringRecord(event?.promptSessionAttributes);
  return new BedrockFunctionResponse({
    body: JSON.stringify(body),
    ...(responseState ? { responseState } : {}),
    ...(sessionAttributes ? { sessionAttributes } : {}),
    ...(promptSessionAttributes ? { promptSessionAttributes } : {}),
  });
};

/** The function-details response envelope of `response` for `event`'s action group and function. */
export const buildResponse = (
  event: Partial<ActionGroupEvent> | undefined,
  response: BedrockFunctionResponse,
): ActionGroupResponse =>
  response.build({ actionGroup: text(event?.actionGroup), func: text(event?.function) });

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
  return functionResponse(event, body, 'FAILURE');
};
