import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SESSION_ATTRIBUTE_KEYS } from '@tenant-assistant/tenant-context/credentials';
import {
  bedrockActionGroupEvent,
  captureOutput,
  expectMetricLines,
  lambdaContext,
} from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import type { ActionGroupEventWithTenant } from '../../bedrock/envelope';
import { handler } from './handler';

const dbMock = mockClient(DynamoDBDocumentClient);

/** A getReturnPolicy call of tenant2's user with scoped credentials in the session attributes. */
const lookup = () =>
  bedrockActionGroupEvent({
    function: 'getReturnPolicy',
    sessionAttributes: {
      [SESSION_ATTRIBUTE_KEYS.tenantId]: 'tenant2',
      [SESSION_ATTRIBUTE_KEYS.userId]: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      [SESSION_ATTRIBUTE_KEYS.accessKeyId]: 'ASIATENANT2USERKEY00',
      [SESSION_ATTRIBUTE_KEYS.secretAccessKey]: 'metrics-test-secret-access-key',
      [SESSION_ATTRIBUTE_KEYS.sessionToken]: 'metrics-test-session-token',
      [SESSION_ATTRIBUTE_KEYS.expiration]: '2030-01-01T00:00:00.000Z',
    },
  }) as unknown as ActionGroupEventWithTenant;

beforeAll(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.TENANT_CONFIG_TABLE_NAME = 'tenant-assistant-order-action-group-test-tenant-config';
  process.env.ORDERS_TABLE_PREFIX = 'tenant-assistant-order-action-group-test-orders-';
});
beforeEach(() => dbMock.reset());

describe('actionGroup metrics', () => {
  it('counts an order lookup by tenant and function, never a credential', async () => {
    // Prepare
    dbMock.on(GetCommand).resolves({
      Item: {
        tenantId: 'tenant2',
        name: 'Beta',
        returnPolicyDays: 20,
        ordersTableName: 'tenant-assistant-order-action-group-test-orders-tenant2',
        tier: 'standard',
      },
    });

    // Act
    const { output } = await captureOutput(() => handler(lookup(), lambdaContext()));

    // Assess
    expectMetricLines(output, [
      {
        values: {
          service: 'order-action-group',
          tenant: 'tenant2',
          function: 'getReturnPolicy',
          OrderLookup: 1,
        },
        dimensions: ['service', 'tenant', 'function'],
      },
      { values: { OrderLookup: 1 }, dimensions: ['service'] },
    ]);
    expect(output).not.toMatch(/metrics-test-secret|metrics-test-session/);
  });

  it('counts a lookup the agent gets a FAILURE for (a denied read) as failed', async () => {
    // Prepare
    dbMock
      .on(GetCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    // Act
    const { output } = await captureOutput(() => handler(lookup(), lambdaContext()));

    // Assess
    expectMetricLines(output, [
      { values: { tenant: 'tenant2', OrderLookupFailed: 1 }, absent: ['OrderLookup'] },
      { values: { OrderLookupFailed: 1 }, dimensions: ['service'] },
    ]);
  });
});
