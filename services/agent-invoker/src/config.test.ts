import { readConfig } from './config';
import { InvalidConfigurationError } from './errors';

const env = (overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => ({
  AGENT_ID: 'AGENT12345',
  AGENT_ALIAS_ID: 'TSTALIASID',
  EVENT_BUS_NAME: 'tenant-assistant-dev',
  IDEMPOTENCY_TABLE_NAME: 'tenant-assistant-agent-invoker-dev-idempotency',
  TENANT_DATA_ACCESS_ROLE_ARN:
    'arn:aws:iam::123456789012:role/tenant-assistant-order-action-group-dev-data-access',
  TENANT_CONFIG_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/t-tenant-config',
  ORDERS_TABLE_ARN_PREFIX: 'arn:aws:dynamodb:us-east-1:123456789012:table/t-orders-',
  STREAM_FINAL_RESPONSE: 'true',
  AGENT_ALIAS_IDS: 'standard=TSTALIASID, premium=PREMALIAS1',
  USAGE_TABLE_NAME: 'tenant-assistant-chat-api-dev-usage',
  COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123',
  ...overrides,
});

describe('readConfig', () => {
  test('reads every setting', () => {
    // Act
    const config = readConfig(env());

    // Assess
    expect(config).toEqual({
      agentId: 'AGENT12345',
      agentAliasId: 'TSTALIASID',
      agentAliasIds: { standard: 'TSTALIASID', premium: 'PREMALIAS1' },
      usageTableName: 'tenant-assistant-chat-api-dev-usage',
      eventBusName: 'tenant-assistant-dev',
      idempotencyTableName: 'tenant-assistant-agent-invoker-dev-idempotency',
      tenantDataAccessRoleArn:
        'arn:aws:iam::123456789012:role/tenant-assistant-order-action-group-dev-data-access',
      tenantConfigTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t-tenant-config',
      ordersTableArnPrefix: 'arn:aws:dynamodb:us-east-1:123456789012:table/t-orders-',
      streamFinalResponse: true,
      cognitoUserPoolId: 'us-east-1_AbCdEf123',
    });
  });

  test('serves every tier from AGENT_ALIAS_ID when AGENT_ALIAS_IDS is absent', () => {
    // Act / Assess
    expect(readConfig(env({ AGENT_ALIAS_IDS: undefined })).agentAliasIds).toEqual({});
  });

  test('reads STREAM_FINAL_RESPONSE=false as false', () => {
    // Act / Assess
    expect(readConfig(env({ STREAM_FINAL_RESPONSE: 'false' })).streamFinalResponse).toBe(false);
  });

  test.each([
    'AGENT_ID',
    'AGENT_ALIAS_ID',
    'EVENT_BUS_NAME',
    'IDEMPOTENCY_TABLE_NAME',
    'TENANT_DATA_ACCESS_ROLE_ARN',
    'TENANT_CONFIG_TABLE_ARN',
    'ORDERS_TABLE_ARN_PREFIX',
    'STREAM_FINAL_RESPONSE',
    'USAGE_TABLE_NAME',
    'COGNITO_USER_POOL_ID',
  ])('refuses a missing %s, naming it', (name) => {
    // Act
    const reading = () => readConfig(env({ [name]: undefined }));

    // Assess
    expect(reading).toThrow(InvalidConfigurationError);
    expect(reading).toThrow(`${name} is not set`);
  });

  test.each([
    ['STREAM_FINAL_RESPONSE', 'yes'],
    ['COGNITO_USER_POOL_ID', 'pool*'],
    ['TENANT_DATA_ACCESS_ROLE_ARN', 'arn:aws:iam::123456789012:user/someone'],
    ['AGENT_ID', 'agent/../other'],
    ['AGENT_ALIAS_ID', '*'],
    ['AGENT_ALIAS_IDS', 'gold=ABC'],
    ['AGENT_ALIAS_IDS', 'premium=*'],
    ['AGENT_ALIAS_IDS', 'premium'],
  ])('refuses a malformed %s', (name, value) => {
    // Act / Assess
    expect(() => readConfig(env({ [name]: value }))).toThrow(new RegExp(name));
  });
});
