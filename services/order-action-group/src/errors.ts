import { AppError, type AppErrorOptions, ConfigurationError } from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors of the order-action-group service, on the kit's error base; `statusCode`
 * and `expose` follow the project's HTTP convention (only `expose`d messages ever reach a caller —
 * here the Bedrock agent, and through it the model and the user). `cause` is always kept for logs.
 */
export class OrderActionGroupError extends AppError {
  constructor(message: string, options: AppErrorOptions) {
    super(message, { name: 'OrderActionGroupError', ...options });
  }
}

/** A required environment variable is missing or invalid (the kit's one ConfigurationError). */
export { ConfigurationError };

/** The agent called a function this action group does not have. */
export class UnknownFunctionError extends OrderActionGroupError {
  constructor(functionName: string) {
    super(`Unknown function ${JSON.stringify(functionName.slice(0, 64))}`, {
      name: 'UnknownFunctionError',
      code: 'UNKNOWN_FUNCTION',
      statusCode: 400,
    });
  }
}

/** A parameter chosen by the model is missing or invalid. */
export class InvalidParameterError extends OrderActionGroupError {
  /** Which parameters were wrong and why (parameter names and rules only, never values). */
  readonly issues: readonly string[];
  constructor(issues: readonly string[], cause?: unknown) {
    super(`Invalid parameters: ${issues.join('; ')}`, {
      name: 'InvalidParameterError',
      code: 'INVALID_PARAMETER',
      statusCode: 400,
      cause,
    });
    this.issues = issues;
  }
}

/** IAM refused the scoped credentials (another tenant's or user's data, or expired credentials). */
export class AccessDeniedError extends OrderActionGroupError {
  constructor(cause?: unknown) {
    super("Access to the tenant's data was denied", {
      name: 'AccessDeniedError',
      code: 'ACCESS_DENIED',
      statusCode: 403,
      cause,
    });
  }
}

/** The tenant has no TenantConfig item: it was never onboarded (or not yet). */
export class TenantNotProvisionedError extends OrderActionGroupError {
  constructor(cause?: unknown) {
    super('The tenant is not set up yet', {
      name: 'TenantNotProvisionedError',
      code: 'TENANT_NOT_FOUND',
      statusCode: 404,
      cause,
    });
  }
}

/** The TenantConfig item is malformed or names an orders table that is not the tenant's own. */
export class TenantConfigInvalidError extends OrderActionGroupError {
  constructor(reason: string, cause?: unknown) {
    super(`Invalid tenant configuration: ${reason}`, {
      name: 'TenantConfigInvalidError',
      code: 'TENANT_CONFIG_INVALID',
      cause,
    });
  }
}

/** An order item in the tenant's table does not have the expected shape. */
export class OrderDataInvalidError extends OrderActionGroupError {
  constructor(cause?: unknown) {
    super('An order record is malformed', {
      name: 'OrderDataInvalidError',
      code: 'ORDER_DATA_INVALID',
      cause,
    });
  }
}

/** DynamoDB could not be reached in time, or failed (throttling, timeouts, missing tables). */
export class DataUnavailableError extends OrderActionGroupError {
  constructor(cause?: unknown) {
    super('Data store unavailable', {
      name: 'DataUnavailableError',
      code: 'DATA_UNAVAILABLE',
      statusCode: 503,
      cause,
    });
  }
}

/** Provisioning a tenant failed (the event is retried, then sent to the dead-letter queue). */
export class ProvisioningError extends OrderActionGroupError {
  constructor(message: string, cause?: unknown) {
    super(message, { name: 'ProvisioningError', code: 'PROVISIONING_FAILED', cause });
  }
}
