import { ScopedCredentialsError } from './errors';
import { parseTenantId, parseUserId, type TenantContext } from './identity';
import { ordersTableArn as ordersTableArnOf } from './naming';

/** The tables a tenant's data lives in. */
export interface TenantTables {
  /** ARN of the TenantConfig table (partition key `tenantId`). */
  tenantConfigTableArn: string;
  /** ARN prefix of the per-tenant orders tables; the tenant id is appended, e.g. `arn:…:table/svc-dev-orders-`. */
  ordersTableArnPrefix: string;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: {
    Sid: string;
    Effect: 'Allow' | 'Deny';
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
  }[];
}

const DYNAMODB_TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]+$/;
const DYNAMODB_TABLE_ARN_PREFIX = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]*$/;

/** The actions tenant-scoped credentials may use: both always carry `dynamodb:LeadingKeys`. */
export const TENANT_DATA_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'];

/**
 * The inline session policy of DESIGN section 5, with concrete values: GetItem/Query only; on
 * TenantConfig only the caller's tenant key; on the tenant's orders table only the caller's user key.
 * Ids are re-validated so nothing can widen the policy (no `*`, `?`, `${…}`).
 *
 * @example
 * const policy = tenantSessionPolicy(ctx, { tenantConfigTableArn, ordersTableArnPrefix });
 */
export const tenantSessionPolicy = (tenant: TenantContext, tables: TenantTables): PolicyDocument => {
  const tenantId = parseTenantId(tenant.tenantId);
  const userId = parseUserId(tenant.userId);
  if (!DYNAMODB_TABLE_ARN.test(tables.tenantConfigTableArn)) {
    throw new ScopedCredentialsError('tenantConfigTableArn is not a DynamoDB table ARN');
  }
  const ordersTableArn = ordersTableArnOf(tables.ordersTableArnPrefix, tenantId);
  if (
    !DYNAMODB_TABLE_ARN_PREFIX.test(tables.ordersTableArnPrefix) ||
    !DYNAMODB_TABLE_ARN.test(ordersTableArn)
  ) {
    throw new ScopedCredentialsError('ordersTableArnPrefix is not a DynamoDB table ARN prefix');
  }
  const leadingKeys = (value: string) => ({
    'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [value] },
    Null: { 'dynamodb:LeadingKeys': 'false' },
  });
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadOwnTenantConfig',
        Effect: 'Allow',
        Action: [...TENANT_DATA_ACTIONS],
        Resource: [tables.tenantConfigTableArn],
        Condition: leadingKeys(tenantId),
      },
      {
        Sid: 'ReadOwnOrders',
        Effect: 'Allow',
        Action: [...TENANT_DATA_ACTIONS],
        Resource: [ordersTableArn],
        Condition: leadingKeys(userId),
      },
    ],
  };
};
