import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { captureOutput, expectMetricLines, lambdaContext } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { preTokenEvent, tenantRecord } from '../../../test/support';
import { handler } from './handler';

const documentsMock = mockClient(DynamoDBDocumentClient);

const signIn = (tenantId: string) => preTokenEvent({ 'custom:tenantId': tenantId }, []);

beforeAll(() => {
  process.env.TENANTS_TABLE_NAME = 'tenant-assistant-auth-test-tenants';
});
beforeEach(() => documentsMock.reset());

describe('preTokenGeneration metrics', () => {
  it('counts a sign-in by tenant', async () => {
    // Prepare
    documentsMock.on(GetCommand).resolves({ Item: tenantRecord('acme') });

    // Act
    const { output } = await captureOutput(() => handler(signIn('acme'), lambdaContext()));

    // Assess
    expectMetricLines(output, [
      { values: { service: 'auth', tenant: 'acme', SignIn: 1 }, dimensions: ['service', 'tenant'] },
      { values: { SignIn: 1 }, dimensions: ['service'] },
    ]);
  });

  it('counts a refused sign-in by tenant and reason: suspended, or no tenant at all', async () => {
    // Prepare
    documentsMock
      .on(GetCommand, { Key: { tenantId: 'frozen' } })
      .resolves({ Item: tenantRecord('frozen', { status: 'SUSPENDED' }) });
    documentsMock.on(GetCommand, { Key: { tenantId: 'gone' } }).resolves({});

    // Act
    const { output } = await captureOutput(async () => {
      await handler(signIn('frozen'), lambdaContext()).catch(() => undefined);
      await handler(signIn('gone'), lambdaContext()).catch(() => undefined);
    });

    // Assess
    expectMetricLines(output, [
      {
        values: { tenant: 'frozen', reason: 'TENANT_SUSPENDED', SignInRefused: 1 },
        dimensions: ['service', 'tenant', 'reason'],
        absent: ['SignIn'],
      },
      { values: { SignInRefused: 1 }, dimensions: ['service'] },
      { values: { tenant: 'gone', reason: 'NO_TENANT', SignInRefused: 1 } },
      { values: { SignInRefused: 1 }, dimensions: ['service'] },
    ]);
  });
});
