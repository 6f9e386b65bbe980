import { parseTenantId, type TenantId } from './identity';

/**
 * How tenant tables are named (groups: `roles.ts`): one rule each, so a table or group name is never assembled by
 * hand. Every function validates the tenant id first, so nothing can widen a name (`*`, `${…}`).
 */

/**
 * The orders table of a tenant: `<ordersTablePrefix><tenantId>` (the prefix is the service's
 * `${service}-${stage}-orders-`, see order-action-group's serverless.yml).
 * @example ordersTableName('tenant-assistant-order-action-group-dev-orders-', 'acme')
 */
export const ordersTableName = (ordersTablePrefix: string, tenantId: TenantId | string): string =>
  `${ordersTablePrefix}${parseTenantId(tenantId)}`;

/**
 * The ARN of a tenant's orders table, from the exported `OrdersTableArnPrefix`.
 * @example ordersTableArn('arn:aws:dynamodb:us-east-1:123456789012:table/svc-dev-orders-', 'acme')
 */
export const ordersTableArn = (ordersTableArnPrefix: string, tenantId: TenantId | string): string =>
  ordersTableName(ordersTableArnPrefix, tenantId);

/**
 * The tag key that names the tenant on each of its resources (its orders table): activate it as a
 * cost-allocation tag to see each tenant's cost, or select a tenant's resources by it.
 */
export const TENANT_TAG_KEY = 'tenant-assistant:tenantId';
