import { ConfigurationError } from '@tenant-assistant/lambda-kit/errors';
import { readProvisioningConfig } from './config';

const base = {
  TENANT_CONFIG_TABLE_NAME: 'svc-test-tenant-config',
  ORDERS_TABLE_PREFIX: 'svc-test-orders-',
  ORDERS_TABLE_ARN_PREFIX: 'arn:aws:dynamodb:eu-west-1:123456789012:table/svc-test-orders-',
  CONTROL_EVENT_BUS_NAME: 'tenant-assistant-control-test',
};

describe('readProvisioningConfig', () => {
  it('reads the orders-table settings: AWS owned key and deletion protection by default', () => {
    // Act
    const config = readProvisioningConfig(base);

    // Assess
    expect(config).toEqual({
      tables: { tenantConfigTableName: 'svc-test-tenant-config', ordersTablePrefix: 'svc-test-orders-' },
      ordersTables: { arnPrefix: base.ORDERS_TABLE_ARN_PREFIX, deletionProtection: true },
      maxWaitSeconds: 120,
      controlBusName: 'tenant-assistant-control-test',
    });
  });

  it('reads a customer managed KMS key and deletion protection turned off', () => {
    // Prepare
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    // Act
    const config = readProvisioningConfig({
      ...base,
      ORDERS_TABLE_KMS_KEY_ARN: kmsKeyArn,
      ORDERS_TABLE_DELETION_PROTECTION: 'false',
    });

    // Assess
    expect(config.ordersTables).toEqual({
      arnPrefix: base.ORDERS_TABLE_ARN_PREFIX,
      kmsKeyArn,
      deletionProtection: false,
    });
  });

  it('treats a blank KMS key as the AWS owned key', () => {
    // Act
    const config = readProvisioningConfig({ ...base, ORDERS_TABLE_KMS_KEY_ARN: ' ' });

    // Assess
    expect(config.ordersTables.kmsKeyArn).toBeUndefined();
  });

  it.each([
    [{ ORDERS_TABLE_ARN_PREFIX: undefined }, /ORDERS_TABLE_ARN_PREFIX is not set/],
    [{ ORDERS_TABLE_ARN_PREFIX: 'svc-test-orders-' }, /ORDERS_TABLE_ARN_PREFIX does not match/],
    [
      { ORDERS_TABLE_ARN_PREFIX: 'arn:aws:dynamodb:eu-west-1:123456789012:table/other-orders-' },
      /ORDERS_TABLE_ARN_PREFIX must name the tables of ORDERS_TABLE_PREFIX/,
    ],
    [{ ORDERS_TABLE_KMS_KEY_ARN: 'alias/orders' }, /ORDERS_TABLE_KMS_KEY_ARN does not match/],
    [
      { ORDERS_TABLE_DELETION_PROTECTION: 'yes' },
      /ORDERS_TABLE_DELETION_PROTECTION must be "true" or "false"/,
    ],
  ])('refuses %j with a message naming the variable', (override, message) => {
    // Act
    const read = () => readProvisioningConfig({ ...base, ...override });

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(message);
  });
});
