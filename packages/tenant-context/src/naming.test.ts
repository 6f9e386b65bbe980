import { InvalidTenantIdError } from './errors';
import { ordersTableArn, ordersTableName } from './naming';

const prefix = 'tenant-assistant-order-action-group-dev-orders-';
const arnPrefix = `arn:aws:dynamodb:us-east-1:123456789012:table/${prefix}`;

describe('ordersTableName', () => {
  it('appends the tenant id to the prefix', () => {
    // Act
    const name = ordersTableName(prefix, 'tenant1');
    const arn = ordersTableArn(arnPrefix, 'tenant1');

    // Assess
    expect(name).toBe(`${prefix}tenant1`);
    expect(arn).toBe(`${arnPrefix}tenant1`);
  });

  it.each(['*', 'tenant1*', 'tenant/1', 'x'])('never names a table for %j', (tenantId) => {
    // Act
    const naming = [() => ordersTableName(prefix, tenantId), () => ordersTableArn(arnPrefix, tenantId)];

    // Assess
    for (const name of naming) expect(name).toThrow(InvalidTenantIdError);
  });
});
