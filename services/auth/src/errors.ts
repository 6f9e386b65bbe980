import { AppError, type AppErrorOptions, ConfigurationError } from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors of the auth service, on the kit's error base: the control-plane
 * functions are invoked directly (`serverless invoke`, scripts), where the Lambda runtime reports
 * `name` as `errorType` and `message` as `errorMessage`, so messages are written for an operator.
 */
export class AuthServiceError extends AppError {
  constructor(message: string, options: AppErrorOptions) {
    super(message, options);
    this.name = 'AuthServiceError';
  }
}

/** The input of a control-plane function does not satisfy its schema. */
export class InvalidInputError extends AuthServiceError {
  /** One line per problem, `path: message`. */
  readonly issues: readonly string[];
  constructor(operation: string, issues: readonly string[], cause?: unknown) {
    super(`Invalid ${operation} input: ${issues.join('; ')}`, {
      code: 'INVALID_INPUT',
      statusCode: 400,
      cause,
    });
    this.name = 'InvalidInputError';
    this.issues = issues;
  }
}

/** A tenant is already onboarded with a different definition (or its group was not made by us). */
export class TenantConflictError extends AuthServiceError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'TENANT_CONFLICT', statusCode: 409, cause });
    this.name = 'TenantConflictError';
  }
}

/** No onboarded tenant has this id. */
export class UnknownTenantError extends AuthServiceError {
  constructor(tenantId: string, cause?: unknown) {
    super(`Tenant ${tenantId} is not onboarded: run onboardTenant first`, {
      code: 'UNKNOWN_TENANT',
      statusCode: 404,
      cause,
    });
    this.name = 'UnknownTenantError';
  }
}

/** The username is already taken in the user pool (usernames are case-insensitive). */
export class UsernameTakenError extends AuthServiceError {
  constructor(username: string, cause?: unknown) {
    super(`Username ${username} is already taken`, { code: 'USERNAME_TAKEN', statusCode: 409, cause });
    this.name = 'UsernameTakenError';
  }
}

/**
 * Sign-in refused by the pre-token-generation trigger: the user has no valid tenant. Cognito shows
 * the message to the user as `PreTokenGeneration failed with error <message>.`
 */
export class TenantlessUserError extends AuthServiceError {
  constructor(message = 'Sign-in refused: this user is not assigned to a valid tenant') {
    super(message, { code: 'NO_TENANT', statusCode: 403 });
    this.name = 'TenantlessUserError';
  }
}

/** A user could not be completed (e.g. not added to its tenant group) and was rolled back, or not. */
export class UserCreationFailedError extends AuthServiceError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'USER_CREATION_FAILED', cause });
    this.name = 'UserCreationFailedError';
  }
}

/** A Cognito call failed for a reason the caller cannot fix (throttling, permissions, outage). */
export class CognitoRequestError extends AuthServiceError {
  constructor(operation: string, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`Cognito ${operation} failed (${reason})`, { code: 'COGNITO_REQUEST_FAILED', cause });
    this.name = 'CognitoRequestError';
  }
}

/** A required configuration value (environment variable) is missing or malformed (the kit's). */
export { ConfigurationError };
