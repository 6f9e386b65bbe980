import { AppError, type AppErrorOptions, ConfigurationError } from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors raised by tenant-context, on the kit's one error base (`AppError`): a stable `name` and
 * `code`, `statusCode` and `expose` (middy's `http-error-handler` reads both; only 4xx messages
 * are ever shown to a caller), `cause` kept.
 */
export class TenantContextError extends AppError {
  constructor(message: string, options: AppErrorOptions) {
    super(message, { name: 'TenantContextError', ...options });
  }
}

/** A value is not a valid tenant id (`^[a-z0-9][a-z0-9-]{1,62}$`). */
export class InvalidTenantIdError extends TenantContextError {
  constructor(cause?: unknown) {
    super('Invalid tenant id', {
      name: 'InvalidTenantIdError',
      code: 'INVALID_TENANT_ID',
      statusCode: 400,
      cause,
    });
  }
}

/** A value is not a valid user id (a Cognito `sub`, lowercase UUID). */
export class InvalidUserIdError extends TenantContextError {
  constructor(cause?: unknown) {
    super('Invalid user id', { name: 'InvalidUserIdError', code: 'INVALID_USER_ID', statusCode: 400, cause });
  }
}

/** A value is not a well-formed answer id (`<sub>.<ulid>`). */
export class InvalidAnswerIdError extends TenantContextError {
  constructor(cause?: unknown) {
    super('Invalid answer id', {
      name: 'InvalidAnswerIdError',
      code: 'INVALID_ANSWER_ID',
      statusCode: 400,
      cause,
    });
  }
}

/** Missing, malformed, forged or expired token: HTTP 401. */
export class UnauthorizedError extends TenantContextError {
  constructor(message = 'Missing or invalid token', cause?: unknown) {
    super(message, { name: 'UnauthorizedError', code: 'UNAUTHORIZED', statusCode: 401, cause });
  }
}

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
      { name: 'KeysUnavailableError', code: 'AUTH_UNAVAILABLE', statusCode: 503, expose: true, cause },
    );
  }
}

/** A valid token that carries no valid tenant: HTTP 403. */
export class ForbiddenError extends TenantContextError {
  constructor(message = 'The signed-in user belongs to no tenant', cause?: unknown) {
    super(message, { name: 'ForbiddenError', code: 'FORBIDDEN', statusCode: 403, cause });
  }
}

/**
 * The caller's verified token does not carry the admin role this route needs: HTTP 403 (the admin
 * API of auth and chat-api's usage API).
 */
export class AdminRoleRequiredError extends TenantContextError {
  constructor(role: 'platform admin' | 'tenant admin') {
    super(`This action requires the ${role} role`, {
      name: 'AdminRoleRequiredError',
      code: 'ADMIN_ROLE_REQUIRED',
      statusCode: 403,
    });
  }
}

/**
 * No such tenant (in the registry, or for this caller): HTTP 404, for auth's admin API and chat-api's
 * usage API alike. `tenantId` only when it is a valid tenant id (anything else is never echoed back).
 */
export class TenantNotFoundError extends TenantContextError {
  constructor(tenantId?: string, cause?: unknown) {
    super(tenantId ? `Tenant ${tenantId} not found` : 'Tenant not found', {
      name: 'TenantNotFoundError',
      code: 'TENANT_NOT_FOUND',
      statusCode: 404,
      cause,
    });
  }
}

/** An event does not satisfy its contract (schema, source or detail-type). */
export class InvalidEventError extends TenantContextError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], cause?: unknown) {
    super(message, { name: 'InvalidEventError', code: 'INVALID_EVENT', statusCode: 400, cause });
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
      name: 'InvalidSessionAttributesError',
      code: 'INVALID_SESSION_ATTRIBUTES',
      statusCode: 400,
      cause,
    });
    this.issues = issues;
  }
}

/** STS refused or failed to vend tenant-scoped credentials. */
export class ScopedCredentialsError extends TenantContextError {
  constructor(message: string, cause?: unknown) {
    super(message, {
      name: 'ScopedCredentialsError',
      code: 'SCOPED_CREDENTIALS_FAILED',
      statusCode: 500,
      cause,
    });
  }
}

/** EventBridge accepted the call but rejected one or more entries. */
export class PutEventsFailedError extends TenantContextError {
  readonly failedEntries: readonly { index: number; errorCode?: string; errorMessage?: string }[];
  constructor(failedEntries: PutEventsFailedError['failedEntries'], cause?: unknown) {
    super(`EventBridge rejected ${failedEntries.length} event(s)`, {
      name: 'PutEventsFailedError',
      code: 'PUT_EVENTS_FAILED',
      cause,
    });
    this.failedEntries = failedEntries;
  }
}

/** A required configuration value (environment variable) is missing: the kit's one ConfigurationError. */
export { ConfigurationError };
