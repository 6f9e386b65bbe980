/**
 * Errors of the web app. Every error has a stable `name` and `code`; `userMessage` is the sentence
 * shown on screen (never a stack trace, a token or a raw server body); `cause` is kept for debugging.
 */
export class WebError extends Error {
  /** Stable machine-readable code, e.g. `RATE_LIMITED`. */
  readonly code: string;
  /** What the user sees. */
  readonly userMessage: string;

  constructor(message: string, options: { code: string; userMessage?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WebError';
    this.code = options.code;
    this.userMessage = options.userMessage ?? message;
  }
}

/** `/config.json` is missing, unreadable or invalid: the app cannot start. */
export class ConfigError extends WebError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], cause?: unknown) {
    super(message, { code: 'CONFIG', cause });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A Cognito call failed (wrong password, wrong code, weak password, …). */
export class AuthError extends WebError {
  constructor(code: string, userMessage: string, cause?: unknown) {
    super(userMessage, { code, userMessage, cause });
    this.name = 'AuthError';
  }
}

/** The session can no longer be refreshed or the API refused the token: sign in again. */
export class SessionExpiredError extends WebError {
  constructor(cause?: unknown) {
    super('Session expired', {
      code: 'SESSION_EXPIRED',
      userMessage: 'Your session has expired. Please sign in again.',
      cause,
    });
    this.name = 'SessionExpiredError';
  }
}

/** An HTTP error from chat-api, decoded from `{"error":{"code","message"}}` when present. */
export class ApiError extends WebError {
  readonly statusCode: number;
  constructor(statusCode: number, code: string, userMessage: string, cause?: unknown) {
    super(`HTTP ${statusCode} ${code}`, { code, userMessage, cause });
    this.name = 'ApiError';
    this.statusCode = statusCode;
  }
}

/** HTTP 429: too many prompts; `retryAfterSeconds` from the `Retry-After` header when sent. */
export class RateLimitedError extends ApiError {
  readonly retryAfterSeconds: number | undefined;
  constructor(retryAfterSeconds?: number, cause?: unknown) {
    const wait = retryAfterSeconds ? `about ${retryAfterSeconds} seconds` : 'a moment';
    super(429, 'RATE_LIMITED', `You are sending prompts too quickly. Wait ${wait} and try again.`, cause);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** HTTP 404: the answer does not exist or is not the caller's (the API never says which). */
export class AnswerNotFoundError extends ApiError {
  constructor(cause?: unknown) {
    super(404, 'NOT_FOUND', 'This answer was not found.', cause);
    this.name = 'AnswerNotFoundError';
  }
}

/** HTTP 404 on a conversation: it does not exist or is not the caller's (the API never says which). */
export class ConversationNotFoundError extends ApiError {
  constructor(cause?: unknown) {
    super(404, 'CONVERSATION_NOT_FOUND', 'This conversation was not found.', cause);
    this.name = 'ConversationNotFoundError';
  }
}

/**
 * HTTP 503: the assistant or the sign-in service is briefly unavailable. Not the user's fault:
 * the client retries with backoff and never signs the user out for it.
 */
export class ServiceUnavailableError extends ApiError {
  readonly retryAfterSeconds: number | undefined;
  constructor(code: string, retryAfterSeconds?: number, cause?: unknown) {
    super(503, code, 'The assistant is briefly unavailable. Please try again in a few seconds.', cause);
    this.name = 'ServiceUnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The API could not be reached at all (offline, DNS, CORS, aborted). */
export class NetworkError extends WebError {
  constructor(cause?: unknown) {
    super('Network error', {
      code: 'NETWORK',
      userMessage: 'Cannot reach the assistant. Check your connection and try again.',
      cause,
    });
    this.name = 'NetworkError';
  }
}

/** The sentence to show for any thrown value. */
export const userMessageOf = (error: unknown): string =>
  error instanceof WebError ? error.userMessage : 'Something went wrong. Please try again.';

/** The upload script cannot publish the site (stack missing, outputs missing, nothing built). */
export class PublishError extends WebError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'PUBLISH', cause });
    this.name = 'PublishError';
  }
}
