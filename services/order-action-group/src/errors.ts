import { ConfigurationError, errorBase, errorClasses } from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors of the order-action-group service, on the kit's error base; `statusCode`
 * and `expose` follow the project's HTTP convention (only `expose`d messages ever reach a caller —
 * here the Bedrock agent, and through it the model and the user). `cause` is always kept for logs.
 */
export const OrderActionGroupError = errorBase('OrderActionGroupError');
export type OrderActionGroupError = InstanceType<typeof OrderActionGroupError>;

/** A required environment variable is missing or invalid (the kit's one ConfigurationError). */
export { ConfigurationError };

/** The errors that carry only their outcome, by name. */
export const {
  UnknownFunctionError,
  AccessDeniedError,
  TenantNotProvisionedError,
  TenantConfigInvalidError,
  OrderDataInvalidError,
  DataUnavailableError,
  ProvisioningError,
} = errorClasses(OrderActionGroupError, {
  /** The agent called a function this action group does not have. */
  UnknownFunctionError: {
    message: (functionName: string) => `Unknown function ${JSON.stringify(functionName.slice(0, 64))}`,
    code: 'UNKNOWN_FUNCTION',
    statusCode: 400,
  },
  /** IAM refused the scoped credentials (another tenant's or user's data, or expired credentials). */
  AccessDeniedError: {
    message: "Access to the tenant's data was denied",
    code: 'ACCESS_DENIED',
    statusCode: 403,
  },
  /** The tenant has no TenantConfig item: it was never onboarded (or not yet). */
  TenantNotProvisionedError: {
    message: 'The tenant is not set up yet',
    code: 'TENANT_NOT_FOUND',
    statusCode: 404,
  },
  /** The TenantConfig item is malformed or names an orders table that is not the tenant's own. */
  TenantConfigInvalidError: {
    message: (reason: string) => `Invalid tenant configuration: ${reason}`,
    code: 'TENANT_CONFIG_INVALID',
  },
  /** An order item in the tenant's table does not have the expected shape. */
  OrderDataInvalidError: {
    message: 'An order record is malformed',
    code: 'ORDER_DATA_INVALID',
  },
  /** DynamoDB could not be reached in time, or failed (throttling, timeouts, missing tables). */
  DataUnavailableError: {
    message: 'Data store unavailable',
    code: 'DATA_UNAVAILABLE',
    statusCode: 503,
  },
  /** Provisioning a tenant failed (the event is retried, then sent to the dead-letter queue). */
  ProvisioningError: {
    message: (message: string) => message,
    code: 'PROVISIONING_FAILED',
  },
});
export type UnknownFunctionError = InstanceType<typeof UnknownFunctionError>;
export type AccessDeniedError = InstanceType<typeof AccessDeniedError>;
export type TenantNotProvisionedError = InstanceType<typeof TenantNotProvisionedError>;
export type TenantConfigInvalidError = InstanceType<typeof TenantConfigInvalidError>;
export type OrderDataInvalidError = InstanceType<typeof OrderDataInvalidError>;
export type DataUnavailableError = InstanceType<typeof DataUnavailableError>;
export type ProvisioningError = InstanceType<typeof ProvisioningError>;

/** A parameter chosen by the model is missing or invalid. */
export class InvalidParameterError extends OrderActionGroupError {
  /** Which parameters were wrong and why (parameter names and rules only, never values). */
  readonly issues: readonly string[];
  constructor(issues: readonly string[], cause?: unknown) {
    super(`Invalid parameters: ${issues.join('; ')}`, { code: 'INVALID_PARAMETER', statusCode: 400, cause });
    this.name = 'InvalidParameterError';
    this.issues = issues;
  }
}
