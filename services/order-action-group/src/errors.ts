import {
  AppError,
  type AppErrorOptions,
  ConfigurationError,
  errorClass,
} from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors of the order-action-group service, on the kit's error base; `statusCode`
 * and `expose` follow the project's HTTP convention (only `expose`d messages ever reach a caller —
 * here the Bedrock agent, and through it the model and the user). `cause` is always kept for logs.
 */
export class OrderActionGroupError extends AppError {
  constructor(message: string, options: AppErrorOptions) {
    super(message, options);
    this.name = 'OrderActionGroupError';
  }
}

/** A required environment variable is missing or invalid (the kit's one ConfigurationError). */
export { ConfigurationError };

/** The agent called a function this action group does not have. */
export const UnknownFunctionError = /* @__PURE__ */ errorClass(
  OrderActionGroupError,
  'UnknownFunctionError',
  {
    message: (functionName: string) => `Unknown function ${JSON.stringify(functionName.slice(0, 64))}`,
    code: 'UNKNOWN_FUNCTION',
    statusCode: 400,
  },
);
export type UnknownFunctionError = InstanceType<typeof UnknownFunctionError>;

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

/** IAM refused the scoped credentials (another tenant's or user's data, or expired credentials). */
export const AccessDeniedError = /* @__PURE__ */ errorClass(OrderActionGroupError, 'AccessDeniedError', {
  message: "Access to the tenant's data was denied",
  code: 'ACCESS_DENIED',
  statusCode: 403,
});
export type AccessDeniedError = InstanceType<typeof AccessDeniedError>;

/** The tenant has no TenantConfig item: it was never onboarded (or not yet). */
export const TenantNotProvisionedError = /* @__PURE__ */ errorClass(
  OrderActionGroupError,
  'TenantNotProvisionedError',
  {
    message: 'The tenant is not set up yet',
    code: 'TENANT_NOT_FOUND',
    statusCode: 404,
  },
);
export type TenantNotProvisionedError = InstanceType<typeof TenantNotProvisionedError>;

/** The TenantConfig item is malformed or names an orders table that is not the tenant's own. */
export const TenantConfigInvalidError = /* @__PURE__ */ errorClass(
  OrderActionGroupError,
  'TenantConfigInvalidError',
  {
    message: (reason: string) => `Invalid tenant configuration: ${reason}`,
    code: 'TENANT_CONFIG_INVALID',
  },
);
export type TenantConfigInvalidError = InstanceType<typeof TenantConfigInvalidError>;

/** An order item in the tenant's table does not have the expected shape. */
export const OrderDataInvalidError = /* @__PURE__ */ errorClass(
  OrderActionGroupError,
  'OrderDataInvalidError',
  {
    message: 'An order record is malformed',
    code: 'ORDER_DATA_INVALID',
  },
);
export type OrderDataInvalidError = InstanceType<typeof OrderDataInvalidError>;

/** DynamoDB could not be reached in time, or failed (throttling, timeouts, missing tables). */
export const DataUnavailableError = /* @__PURE__ */ errorClass(
  OrderActionGroupError,
  'DataUnavailableError',
  {
    message: 'Data store unavailable',
    code: 'DATA_UNAVAILABLE',
    statusCode: 503,
  },
);
export type DataUnavailableError = InstanceType<typeof DataUnavailableError>;

/** Provisioning a tenant failed (the event is retried, then sent to the dead-letter queue). */
export const ProvisioningError = /* @__PURE__ */ errorClass(OrderActionGroupError, 'ProvisioningError', {
  message: (message: string) => message,
  code: 'PROVISIONING_FAILED',
});
export type ProvisioningError = InstanceType<typeof ProvisioningError>;
