import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { httpApiEvent, lambdaContext, randomUserId, type TestIssuer } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createAdminGroups } from '../../src/adapters/admin-groups';
import { createTenantStandings } from '../../src/adapters/tenant-standings';
import { createUsageReports } from '../../src/adapters/usage-table';
import { createHandler } from '../../src/functions/getUsage/handler';
import { silentLogger, testDocumentClient } from './deps';
import { WEB_ORIGIN } from './http';
import { testAuth } from './tokens';

/** The usage API handler's test set-up (getUsage): pool users, tenant registry, requests and what they read. */

export const ddb = mockClient(DynamoDBDocumentClient);
export const cognito = mockClient(CognitoIdentityProviderClient);

export const NOW = new Date('2026-03-04T15:00:00.000Z');

/** Users of the pool, by username: their groups. */
export const GROUPS: Record<string, string[]> = {
  'a-admin': ['tenant-tenant-a', 'admin-tenant-a'],
  'a-user': ['tenant-tenant-a'],
  'a-foreign-admin': ['tenant-tenant-a', 'admin-tenant-b'],
  'b-admin': ['tenant-tenant-b', 'admin-tenant-b'],
  operator: ['tenant-tenant-a', 'platform-admins'],
};

/** The registry: tenant id → tier and status. */
export const REGISTRY: Record<string, { tier: string; status: string }> = {
  'tenant-a': { tier: 'basic', status: 'ACTIVE' },
  'tenant-b': { tier: 'standard', status: 'SUSPENDED' },
};

export const usageItem = (
  tenantId: string,
  sk: string,
  inputTokens: number,
  outputTokens: number,
  prompts: number,
) => ({
  tenantId,
  sk,
  inputTokens,
  outputTokens,
  prompts,
});

let setup: { issuer: TestIssuer; handler: ReturnType<typeof createHandler> };

/**
 * Set-up of every test in a file that imports this module (its hooks register on import):
 * the handler over mocked DynamoDB and Cognito: GROUPS' users, REGISTRY's tenants and no usage stored unless a test adds it.
 */
beforeAll(async () => {
  const auth = await testAuth();
  const client = testDocumentClient();
  setup = {
    issuer: auth.issuer,
    handler: createHandler({
      verifier: auth.verifier,
      logger: silentLogger(),
      webOrigins: () => [WEB_ORIGIN],
      adminGroups: createAdminGroups(new CognitoIdentityProviderClient({}), () => 'us-east-1_Test'),
      usageReports: createUsageReports(client, () => 'usage', { backoffMs: 1 }),
      standings: createTenantStandings(client, () => 'tenants'),
      clock: () => NOW,
    }),
  };
});

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  cognito.on(AdminListGroupsForUserCommand).callsFake((input: { Username: string }) => {
    const groups = GROUPS[input.Username];
    if (!groups) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    return { Groups: groups.map((GroupName) => ({ GroupName })) };
  });
  ddb.on(GetCommand, { TableName: 'tenants' }).callsFake((input: { Key: { tenantId: string } }) => {
    const entry = REGISTRY[input.Key.tenantId];
    return { Item: entry ? { tenantId: input.Key.tenantId, ...entry } : undefined };
  });
  ddb.on(GetCommand, { TableName: 'usage' }).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

export const tokenOf = (username: string, tenantId = username.startsWith('b-') ? 'tenant-b' : 'tenant-a') =>
  setup.issuer.idToken({ sub: randomUserId(), tenantId, username });

export const request = async (
  routeKey: string,
  options: {
    username?: string;
    query?: Record<string, string>;
    pathParameters?: Record<string, string>;
  } = {},
) => {
  const path = routeKey.slice(4).replace('{tenantId}', options.pathParameters?.tenantId ?? '');
  const token = options.username ? await tokenOf(options.username) : undefined;
  const event = httpApiEvent({
    method: 'GET',
    path,
    routeKey,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(token ? { token } : {}),
  });
  return setup.handler(event, lambdaContext());
};

/** Every tenant id a DynamoDB call of the test named (keys, key conditions, batch keys). */
export const tenantsRead = (): string[] =>
  ddb.calls().flatMap((call) => {
    const input = call.args[0].input as {
      TableName?: string;
      Key?: { tenantId: string };
      ExpressionAttributeValues?: Record<string, unknown>;
      RequestItems?: Record<string, { Keys: { tenantId: string }[] }>;
    };
    if (input.TableName === 'tenants') return [];
    if (input.Key) return [input.Key.tenantId];
    if (input.ExpressionAttributeValues) return [String(input.ExpressionAttributeValues[':tenantId'])];
    return Object.values(input.RequestItems ?? {}).flatMap((entry) => entry.Keys.map((key) => key.tenantId));
  });
