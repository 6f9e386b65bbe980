import { InvalidTenantIdError } from './errors';
import { isTenantGroupName, ordersTableArn, ordersTableName, tenantGroupName } from './naming';

const prefix = 'tenant-assistant-order-action-group-dev-orders-';
const arnPrefix = `arn:aws:dynamodb:us-east-1:123456789012:table/${prefix}`;

describe('tenantGroupName', () => {
  it('names the group tenant-<tenantId>', () => {
    // Act
    const name = tenantGroupName('acme');

    // Assess
    expect(name).toBe('tenant-acme');
    expect(isTenantGroupName(name)).toBe(true);
    expect(isTenantGroupName('platform-admins')).toBe(false);
  });

  it.each(['*', 'Acme', `$${'{'}aws:PrincipalTag/tenantId}`, ''])(
    'refuses to name a group for %j',
    (tenantId) => {
      // Act
      const naming = () => tenantGroupName(tenantId);

      // Assess
      expect(naming).toThrow(InvalidTenantIdError);
    },
  );
});

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
