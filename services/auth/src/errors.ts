import {
  AppError,
  type AppErrorOptions,
  ConfigurationError,
  PayloadTooLargeError,
} from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors of the auth service, on the kit's error base: the control-plane
 * functions are invoked directly (`serverless invoke`, scripts), where the Lambda runtime reports
 * `name` as `errorType` and `message` as `errorMessage`, so messages are written for an operator.
 */
export class AuthServiceError extends AppError {
  constructor(message: string, options: AppErrorOptions) {
    super(message, { name: 'AuthServiceError', ...options });
  }
}

/** The input of a control-plane function does not satisfy its schema. */
export class InvalidInputError extends AuthServiceError {
  /** One line per problem, `path: message`. */
  readonly issues: readonly string[];
  constructor(operation: string, issues: readonly string[], cause?: unknown) {
    super(`Invalid ${operation} input: ${issues.join('; ')}`, {
      name: 'InvalidInputError',
      code: 'INVALID_INPUT',
      statusCode: 400,
      cause,
    });
    this.issues = issues;
  }
}

/** A tenant is already onboarded with a different definition (or its group was not made by us). */
export class TenantConflictError extends AuthServiceError {
  constructor(message: string, cause?: unknown) {
    super(message, { name: 'TenantConflictError', code: 'TENANT_CONFLICT', statusCode: 409, cause });
  }
}

/** No onboarded tenant has this id. */
export class UnknownTenantError extends AuthServiceError {
  constructor(tenantId: string, cause?: unknown) {
    super(`Tenant ${tenantId} is not onboarded: run onboardTenant first`, {
      name: 'UnknownTenantError',
      code: 'UNKNOWN_TENANT',
      statusCode: 404,
      cause,
    });
  }
}

/** No such tenant: HTTP 404 (tenant-context's). */
/** The caller's verified token does not carry the admin role this route needs: HTTP 403 (tenant-context's). */
export { AdminRoleRequiredError, TenantNotFoundError } from '@tenant-assistant/tenant-context';

/** The request body is larger than the admin API accepts: HTTP 413. */
export { PayloadTooLargeError };

/**
 * No user of this name in the caller's tenant — also for a user of another tenant, whose existence is
 * never revealed: HTTP 404.
 */
export class UserNotFoundError extends AuthServiceError {
  constructor(username: string) {
    super(`User ${username} not found`, {
      name: 'UserNotFoundError',
      code: 'USER_NOT_FOUND',
      statusCode: 404,
    });
  }
}

/** The request would change the caller's own account or role (lock-out protection): HTTP 409. */
export class SelfChangeRefusedError extends AuthServiceError {
  constructor(action: string) {
    super(`You cannot ${action} your own account`, {
      name: 'SelfChangeRefusedError',
      code: 'SELF_CHANGE_REFUSED',
      statusCode: 409,
    });
  }
}

/** The user's state does not allow the action (e.g. resending to a user who has signed in): HTTP 409. */
export class UserStateConflictError extends AuthServiceError {
  constructor(message: string) {
    super(message, { name: 'UserStateConflictError', code: 'USER_STATE_CONFLICT', statusCode: 409 });
  }
}

/** Platform admin cannot be granted through the admin API (an operator adds it in Cognito): HTTP 403. */
export class RoleNotGrantableError extends AuthServiceError {
  constructor() {
    super('The platform admin role cannot be granted through the admin API', {
      name: 'RoleNotGrantableError',
      code: 'ROLE_NOT_GRANTABLE',
      statusCode: 403,
    });
  }
}

/** The tenant is being offboarded or has been: nothing may change it any more: HTTP 409. */
export class TenantOffboardedError extends AuthServiceError {
  constructor(tenantId: string) {
    super(`Tenant ${tenantId} is being offboarded or has been offboarded; it can no longer be changed`, {
      name: 'TenantOffboardedError',
      code: 'TENANT_OFFBOARDED',
      statusCode: 409,
    });
  }
}

/**
 * A dependency of the service (Cognito, the tenant registry, the tenant-files bucket) failed for a
 * reason the caller cannot fix: `<dependency> <operation> failed (<SDK error name>: <message>)`,
 * the SDK error kept as `cause`.
 */
export class DependencyFailedError extends AuthServiceError {
  constructor(dependency: string, operation: string, code: string, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${dependency} ${operation} failed (${reason})`, { name: 'DependencyFailedError', code, cause });
  }
}

/** The tenant-files bucket (S3) failed. */
export class TenantFilesError extends DependencyFailedError {
  constructor(operation: string, cause: unknown) {
    super('Tenant files', operation, 'TENANT_FILES_FAILED', cause);
    this.name = 'TenantFilesError';
  }
}

/** The tenant registry (DynamoDB) failed. */
export class TenantRegistryError extends DependencyFailedError {
  constructor(operation: string, cause: unknown) {
    super('Tenant registry', operation, 'TENANT_REGISTRY_FAILED', cause);
    this.name = 'TenantRegistryError';
  }
}

/** The username is already taken in the user pool (usernames are case-insensitive). */
export class UsernameTakenError extends AuthServiceError {
  constructor(username: string, cause?: unknown) {
    super(`Username ${username} is already taken`, {
      name: 'UsernameTakenError',
      code: 'USERNAME_TAKEN',
      statusCode: 409,
      cause,
    });
  }
}

/**
 * Sign-in refused by the pre-token-generation trigger: the user has no valid tenant. Cognito shows
 * the message to the user as `PreTokenGeneration failed with error <message>.`
 */
export class TenantlessUserError extends AuthServiceError {
  constructor(message = 'Sign-in refused: this user is not assigned to a valid tenant') {
    super(message, { name: 'TenantlessUserError', code: 'NO_TENANT', statusCode: 403 });
  }
}

/**
 * Sign-in refused by the pre-token-generation trigger: the user's tenant is suspended. Cognito
 * shows `PreTokenGeneration failed with error <message>.`
 */
export class TenantSuspendedSignInError extends AuthServiceError {
  constructor() {
    super("Sign-in refused: your organisation's account is suspended; contact your administrator", {
      name: 'TenantSuspendedSignInError',
      code: 'TENANT_SUSPENDED',
      statusCode: 403,
    });
  }
}

/** A user could not be completed (e.g. not added to its tenant group) and was rolled back, or not. */
export class UserCreationFailedError extends AuthServiceError {
  constructor(message: string, cause?: unknown) {
    super(message, { name: 'UserCreationFailedError', code: 'USER_CREATION_FAILED', cause });
  }
}

/** A Cognito call failed for a reason the caller cannot fix (throttling, permissions, outage). */
export class CognitoRequestError extends DependencyFailedError {
  constructor(operation: string, cause: unknown) {
    super('Cognito', operation, 'COGNITO_REQUEST_FAILED', cause);
    this.name = 'CognitoRequestError';
  }
}

/** A required configuration value (environment variable) is missing or malformed (the kit's). */
export { ConfigurationError };
