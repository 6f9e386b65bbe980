import { ConfigurationError, errorBase, errorClasses } from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors raised by tenant-context, on the kit's one error base (`AppError`): a stable `name` and
 * `code`, `statusCode` and `expose` (middy's `http-error-handler` reads both; only 4xx messages
 * are ever shown to a caller), `cause` kept.
 */
export const TenantContextError = errorBase('TenantContextError');
export type TenantContextError = InstanceType<typeof TenantContextError>;

/** The errors that carry only their outcome, by name. */
export const {
  InvalidTenantIdError,
  InvalidUserIdError,
  InvalidAnswerIdError,
  UnauthorizedError,
  ForbiddenError,
  AdminRoleRequiredError,
  ScopedCredentialsError,
} = errorClasses(TenantContextError, {
  /** A value is not a valid tenant id (`^[a-z0-9][a-z0-9-]{1,62}$`). */
  InvalidTenantIdError: {
    message: 'Invalid tenant id',
    code: 'INVALID_TENANT_ID',
    statusCode: 400,
  },
  /** A value is not a valid user id (a Cognito `sub`, lowercase UUID). */
  InvalidUserIdError: {
    message: 'Invalid user id',
    code: 'INVALID_USER_ID',
    statusCode: 400,
  },
  /** A value is not a well-formed answer id (`<sub>.<ulid>`). */
  InvalidAnswerIdError: {
    message: 'Invalid answer id',
    code: 'INVALID_ANSWER_ID',
    statusCode: 400,
  },
  /** Missing, malformed, forged or expired token: HTTP 401. */
  UnauthorizedError: {
    message: (message?: string) => message ?? 'Missing or invalid token',
    code: 'UNAUTHORIZED',
    statusCode: 401,
  },
  /** A valid token that carries no valid tenant: HTTP 403. */
  ForbiddenError: {
    message: (message?: string) => message ?? 'The signed-in user belongs to no tenant',
    code: 'FORBIDDEN',
    statusCode: 403,
  },
  /**
   * The caller's verified token does not carry the admin role this route needs: HTTP 403 (the admin
   * API of auth and chat-api's usage API).
   */
  AdminRoleRequiredError: {
    message: (role: 'platform admin' | 'tenant admin') => `This action requires the ${role} role`,
    code: 'ADMIN_ROLE_REQUIRED',
    statusCode: 403,
  },
  /** STS refused or failed to vend tenant-scoped credentials. */
  ScopedCredentialsError: {
    message: (message: string) => message,
    code: 'SCOPED_CREDENTIALS_FAILED',
    statusCode: 500,
  },
});
export type InvalidTenantIdError = InstanceType<typeof InvalidTenantIdError>;
export type InvalidUserIdError = InstanceType<typeof InvalidUserIdError>;
export type InvalidAnswerIdError = InstanceType<typeof InvalidAnswerIdError>;
export type UnauthorizedError = InstanceType<typeof UnauthorizedError>;
export type ForbiddenError = InstanceType<typeof ForbiddenError>;
export type AdminRoleRequiredError = InstanceType<typeof AdminRoleRequiredError>;
export type ScopedCredentialsError = InstanceType<typeof ScopedCredentialsError>;

/** Seconds a caller should wait before trying again when the signing keys were unavailable. */
export const KEYS_UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * The identity provider's signing keys (JWKS) could not be fetched, even after brief retries, and
 * none are cached: the token cannot be checked either way. Not the caller's fault — HTTP 503
 * `AUTH_UNAVAILABLE` with `Retry-After`, never 401 (a client must not sign the user out for it).
 */
export class KeysUnavailableError extends TenantContextError {
  /** Seconds until trying again is worthwhile (sent as `Retry-After`). */
  readonly retryAfterSeconds = KEYS_UNAVAILABLE_RETRY_AFTER_SECONDS;
  constructor(cause?: unknown) {
    super(
      `Sign-in could not be checked right now (the identity provider's keys are unavailable). Try again in ${KEYS_UNAVAILABLE_RETRY_AFTER_SECONDS} seconds.`,
      { code: 'AUTH_UNAVAILABLE', statusCode: 503, expose: true, cause },
    );
    this.name = 'KeysUnavailableError';
  }
}

/** An event does not satisfy its contract (schema, source or detail-type). */
export class InvalidEventError extends TenantContextError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], cause?: unknown) {
    super(message, { code: 'INVALID_EVENT', statusCode: 400, cause });
    this.name = 'InvalidEventError';
    this.issues = issues;
  }
}

/** An event names an answer that its user does not own: a security event, never processed. */
export class AnswerOwnershipError extends InvalidEventError {
  constructor() {
    super('answerId is not owned by userId');
    this.name = 'AnswerOwnershipError';
  }
}

/** Bedrock session attributes are missing or invalid (tenant, user or credentials). */
export class InvalidSessionAttributesError extends TenantContextError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[] = [], cause?: unknown) {
    super('Missing or invalid session attributes', {
      code: 'INVALID_SESSION_ATTRIBUTES',
      statusCode: 400,
      cause,
    });
    this.name = 'InvalidSessionAttributesError';
    this.issues = issues;
  }
}

/** EventBridge accepted the call but rejected one or more entries. */
export class PutEventsFailedError extends TenantContextError {
  readonly failedEntries: readonly { index: number; errorCode?: string; errorMessage?: string }[];
  constructor(failedEntries: PutEventsFailedError['failedEntries'], cause?: unknown) {
    super(`EventBridge rejected ${failedEntries.length} event(s)`, { code: 'PUT_EVENTS_FAILED', cause });
    this.name = 'PutEventsFailedError';
    this.failedEntries = failedEntries;
  }
}

/** A required configuration value (environment variable) is missing: the kit's one ConfigurationError. */
export { ConfigurationError };
