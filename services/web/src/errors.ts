import { LIMIT_CODES } from '@tenant-assistant/tenant-context/tiers';

/**
 * Errors of the web app. Every error has a stable `name` and `code`; `userMessage` is the sentence
 * shown on screen (never a stack trace, a token or a raw server body); `cause` is kept for debugging.
 */
export class WebError extends Error {
  /** Stable machine-readable code, e.g. `RATE_LIMITED`. */
  readonly code: string;
  /** What the user sees. */
  readonly userMessage: string;

  constructor(
    message: string,
    options: { name?: string; code: string; userMessage?: string; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name ?? 'WebError';
    this.code = options.code;
    this.userMessage = options.userMessage ?? message;
  }
}

/** `/config.json` is missing, unreadable or invalid: the app cannot start. */
export class ConfigError extends WebError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], cause?: unknown) {
    super(message, { name: 'ConfigError', code: 'CONFIG', cause });
    this.issues = issues;
  }
}

/** A Cognito call failed (wrong password, wrong code, weak password, …). */
export class AuthError extends WebError {
  constructor(code: string, userMessage: string, cause?: unknown) {
    super(userMessage, { name: 'AuthError', code, userMessage, cause });
  }
}

/** The session can no longer be refreshed or the API refused the token: sign in again. */
export class SessionExpiredError extends WebError {
  constructor(cause?: unknown) {
    super('Session expired', {
      name: 'SessionExpiredError',
      code: 'SESSION_EXPIRED',
      userMessage: 'Your session has expired. Please sign in again.',
      cause,
    });
  }
}

/** An HTTP error from chat-api, decoded from `{"error":{"code","message"}}` when present. */
export class ApiError extends WebError {
  readonly statusCode: number;
  constructor(statusCode: number, code: string, userMessage: string, cause?: unknown) {
    super(`HTTP ${statusCode} ${code}`, { name: 'ApiError', code, userMessage, cause });
    this.statusCode = statusCode;
  }
}

/** "about 30 seconds", "about 4 minutes", or the UTC time to wait until (a spent monthly budget). */
export const waitPhrase = (retryAfterSeconds: number | undefined, now: Date = new Date()): string => {
  if (!retryAfterSeconds) return 'a moment';
  if (retryAfterSeconds < 120) return `about ${retryAfterSeconds} seconds`;
  if (retryAfterSeconds < 3600) return `about ${Math.ceil(retryAfterSeconds / 60)} minutes`;
  const until = new Date(now.getTime() + retryAfterSeconds * 1000);
  return `until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

/** What the user reads for each limit of chat-api's 429 (codes from tenant-context's LIMIT_CODES). */
const LIMIT_SENTENCES: Record<string, (wait: string) => string> = {
  [LIMIT_CODES.userRate]: (wait) => `You are sending prompts too quickly. Wait ${wait} and try again.`,
  [LIMIT_CODES.tenantRate]: (wait) =>
    `Your organisation is sending too many prompts right now. Wait ${wait} and try again.`,
  [LIMIT_CODES.answersInFlight]: (wait) =>
    `Your organisation has too many answers in progress. Wait ${wait} and try again.`,
  [LIMIT_CODES.tokenBudget]: (wait) =>
    `Your organisation has used this month's assistant budget. Wait ${wait}, or ask your administrator about a higher tier.`,
};

/**
 * HTTP 429: a limit refused the prompt; `code` says which (tenant or user rate, answers in flight,
 * token budget), `retryAfterSeconds` comes from the `Retry-After` header when sent.
 */
export class RateLimitedError extends ApiError {
  readonly retryAfterSeconds: number | undefined;
  constructor(retryAfterSeconds?: number, cause?: unknown, code = 'RATE_LIMITED', now: Date = new Date()) {
    const sentence = LIMIT_SENTENCES[code] ?? LIMIT_SENTENCES[LIMIT_CODES.userRate];
    super(429, code, (sentence as (wait: string) => string)(waitPhrase(retryAfterSeconds, now)), cause);
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
      name: 'NetworkError',
      code: 'NETWORK',
      userMessage: 'Cannot reach the assistant. Check your connection and try again.',
      cause,
    });
  }
}

/** The sentence to show for any thrown value. */
export const userMessageOf = (error: unknown): string =>
  error instanceof WebError ? error.userMessage : 'Something went wrong. Please try again.';

/** The upload script cannot publish the site (stack missing, outputs missing, nothing built). */
export class PublishError extends WebError {
  constructor(message: string, cause?: unknown) {
    super(message, { name: 'PublishError', code: 'PUBLISH', cause });
  }
}
