import {
  AppError,
  type AppErrorOptions,
  ConfigurationError,
  PayloadTooLargeError,
} from '@tenant-assistant/lambda-kit/errors';
import type { LimitCode } from '@tenant-assistant/tenant-context/tiers';

/**
 * Errors of the chat-api service, on the kit's error base: only exposed errors (4xx, and the
 * deliberate 503) show their message to the caller; everything else becomes a generic 500 with
 * details only in the logs.
 */
export class ChatApiError extends AppError {
  constructor(message: string, options: AppErrorOptions) {
    super(message, { name: 'ChatApiError', ...options });
  }
}

/** Deleting an offboarded tenant's data failed (the event is retried; what is gone stays gone). */
export class TenantDataDeletionError extends ChatApiError {
  constructor(operation: string, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`Offboarding ${operation} failed (${reason})`, {
      name: 'TenantDataDeletionError',
      code: 'TENANT_DATA_DELETION_FAILED',
      cause,
    });
  }
}

/**
 * A `TenantOffboarded` named a tenant that auth's registry does not mark as offboarding (or does not
 * know): nothing is deleted and the invocation fails.
 */
export class TenantNotOffboardingError extends ChatApiError {
  constructor(tenantId: string, status: string | undefined) {
    super(`Tenant ${tenantId} is not being offboarded (registry status: ${status ?? 'none'})`, {
      name: 'TenantNotOffboardingError',
      code: 'TENANT_NOT_OFFBOARDING',
      statusCode: 409,
    });
  }
}

/** The request is malformed or fails validation: HTTP 400. */
export class BadRequestError extends ChatApiError {
  /** What was wrong, by field (never echoes the submitted values); also appended to the message. */
  readonly details: readonly string[];
  constructor(
    message: string,
    options: { code?: string; details?: readonly string[]; cause?: unknown } = {},
  ) {
    const details = options.details ?? [];
    super(details.length > 0 ? `${message}: ${details.join('; ')}` : message, {
      name: 'BadRequestError',
      code: options.code ?? 'VALIDATION_FAILED',
      statusCode: 400,
      cause: options.cause,
    });
    this.details = details;
  }
}

/** The body or the prompt is larger than accepted: HTTP 413 (the kit's). */
export { PayloadTooLargeError };

/** No such answer for this caller (also for another user's answer or a malformed id): HTTP 404. */
export class AnswerNotFoundError extends ChatApiError {
  constructor(cause?: unknown) {
    super('Answer not found', {
      name: 'AnswerNotFoundError',
      code: 'ANSWER_NOT_FOUND',
      statusCode: 404,
      cause,
    });
  }
}

/** No such conversation for this caller (also for another user's conversation): HTTP 404. */
export class ConversationNotFoundError extends ChatApiError {
  constructor(cause?: unknown) {
    super('Conversation not found', {
      name: 'ConversationNotFoundError',
      code: 'CONVERSATION_NOT_FOUND',
      statusCode: 404,
      cause,
    });
  }
}

const LIMIT_MESSAGES: Record<LimitCode, string> = {
  TENANT_RATE_LIMITED: 'Your organisation has sent too many prompts this minute, try again later',
  USER_RATE_LIMITED: 'You have sent too many prompts this minute, try again later',
  TOKEN_BUDGET_EXHAUSTED: "Your organisation has used this month's assistant budget",
  TOO_MANY_ANSWERS_IN_FLIGHT:
    'Your organisation has too many answers in progress, try again in a few seconds',
};

/**
 * A limit of the tenant's tier refused the prompt before anything was stored: HTTP 429 with a code
 * per limit (tenant rate, user rate, token budget, answers in flight) and `Retry-After`.
 */
export class LimitExceededError extends ChatApiError {
  declare readonly code: LimitCode;
  /** Seconds until the limit lets a prompt through again (sent as `Retry-After`). */
  readonly retryAfterSeconds: number;
  constructor(code: LimitCode, retryAfterSeconds: number, cause?: unknown) {
    super(LIMIT_MESSAGES[code], { name: 'LimitExceededError', code, statusCode: 429, cause });
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** The caller's tenant is not in the tenant registry (not onboarded, or offboarded): HTTP 403. */
export class TenantNotProvisionedError extends ChatApiError {
  constructor() {
    super('Your organisation is not set up for the assistant', {
      name: 'TenantNotProvisionedError',
      code: 'TENANT_NOT_PROVISIONED',
      statusCode: 403,
    });
  }
}

/** The caller's tenant is suspended (the registry's status): HTTP 403, nothing is stored. */
export class TenantSuspendedError extends ChatApiError {
  constructor() {
    super("Your organisation's account is suspended; contact your administrator", {
      name: 'TenantSuspendedError',
      code: 'TENANT_SUSPENDED',
      statusCode: 403,
    });
  }
}

/** Seconds a client should wait before submitting again after a 503 (sent as `Retry-After`). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The prompt was stored but could not be handed to the assistant; the answer is marked FAILED: HTTP 503. */
export class PromptNotAcceptedError extends ChatApiError {
  readonly answerId: string;
  /** Seconds until trying again is worthwhile (sent as `Retry-After`). */
  readonly retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS;
  constructor(answerId: string, cause?: unknown) {
    super(
      `The assistant is unavailable right now; nothing was sent. Try again in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds.`,
      {
        name: 'PromptNotAcceptedError',
        code: 'ASSISTANT_UNAVAILABLE',
        statusCode: 503,
        expose: true,
        cause,
      },
    );
    this.answerId = answerId;
  }
}

/** No such tenant: HTTP 404 (tenant-context's). */
export { TenantNotFoundError } from '@tenant-assistant/tenant-context';

/** DynamoDB kept leaving usage items unprocessed (throttled) after every retry: HTTP 500. */
export class UsageReadError extends ChatApiError {
  constructor(unprocessed: number) {
    super(`The usage table left ${unprocessed} item(s) unprocessed after every retry`, {
      name: 'UsageReadError',
      code: 'USAGE_READ_FAILED',
    });
  }
}

/** An answer with this id already exists (the conditional write refused it). */
export class AnswerAlreadyExistsError extends ChatApiError {
  constructor(cause?: unknown) {
    super('An answer with this id already exists', {
      name: 'AnswerAlreadyExistsError',
      code: 'ANSWER_EXISTS',
      cause,
    });
  }
}

/** An answer event names an answer whose stored tenant differs from the event's: a security event. */
export class AnswerTenantMismatchError extends ChatApiError {
  constructor() {
    super('The event tenant does not own the answer', {
      name: 'AnswerTenantMismatchError',
      code: 'ANSWER_TENANT_MISMATCH',
      statusCode: 400,
    });
  }
}

/** The WebSocket connection no longer exists (API Gateway answered 410 Gone). */
export class ConnectionGoneError extends ChatApiError {
  constructor(cause?: unknown) {
    super('The WebSocket connection is gone', {
      name: 'ConnectionGoneError',
      code: 'CONNECTION_GONE',
      statusCode: 410,
      cause,
    });
  }
}

/** A required environment variable is missing or invalid (the kit's one ConfigurationError). */
export { ConfigurationError, ConfigurationError as MissingConfigurationError };
