import {
  AppError,
  type AppErrorOptions,
  ConfigurationError,
  PayloadTooLargeError,
} from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors of the chat-api service, on the kit's error base: only exposed errors (4xx, and the
 * deliberate 503) show their message to the caller; everything else becomes a generic 500 with
 * details only in the logs.
 */
export class ChatApiError extends AppError {
  constructor(message: string, options: AppErrorOptions) {
    super(message, options);
    this.name = 'ChatApiError';
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
      code: options.code ?? 'VALIDATION_FAILED',
      statusCode: 400,
      cause: options.cause,
    });
    this.name = 'BadRequestError';
    this.details = details;
  }
}

/** The body or the prompt is larger than accepted: HTTP 413 (the kit's). */
export { PayloadTooLargeError };

/** No such answer for this caller (also for another user's answer or a malformed id): HTTP 404. */
export class AnswerNotFoundError extends ChatApiError {
  constructor(cause?: unknown) {
    super('Answer not found', { code: 'ANSWER_NOT_FOUND', statusCode: 404, cause });
    this.name = 'AnswerNotFoundError';
  }
}

/** No such conversation for this caller (also for another user's conversation): HTTP 404. */
export class ConversationNotFoundError extends ChatApiError {
  constructor(cause?: unknown) {
    super('Conversation not found', { code: 'CONVERSATION_NOT_FOUND', statusCode: 404, cause });
    this.name = 'ConversationNotFoundError';
  }
}

/** The caller submitted more prompts than allowed in the current window: HTTP 429. */
export class RateLimitedError extends ChatApiError {
  /** Seconds until the window resets (sent as `Retry-After`). */
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, cause?: unknown) {
    super('Too many prompts, try again later', { code: 'RATE_LIMITED', statusCode: 429, cause });
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
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
        code: 'ASSISTANT_UNAVAILABLE',
        statusCode: 503,
        expose: true,
        cause,
      },
    );
    this.name = 'PromptNotAcceptedError';
    this.answerId = answerId;
  }
}

/** An answer with this id already exists (the conditional write refused it). */
export class AnswerAlreadyExistsError extends ChatApiError {
  constructor(cause?: unknown) {
    super('An answer with this id already exists', { code: 'ANSWER_EXISTS', cause });
    this.name = 'AnswerAlreadyExistsError';
  }
}

/** An answer event names an answer whose stored tenant differs from the event's: a security event. */
export class AnswerTenantMismatchError extends ChatApiError {
  constructor() {
    super('The event tenant does not own the answer', { code: 'ANSWER_TENANT_MISMATCH', statusCode: 400 });
    this.name = 'AnswerTenantMismatchError';
  }
}

/** The WebSocket connection no longer exists (API Gateway answered 410 Gone). */
export class ConnectionGoneError extends ChatApiError {
  constructor(cause?: unknown) {
    super('The WebSocket connection is gone', { code: 'CONNECTION_GONE', statusCode: 410, cause });
    this.name = 'ConnectionGoneError';
  }
}

/** A required environment variable is missing or invalid (the kit's one ConfigurationError). */
export { ConfigurationError, ConfigurationError as MissingConfigurationError };
