import type { Logger } from '@aws-lambda-powertools/logger';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createTokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { createTestIssuer, httpApiEvent, lambdaContext, type TestIssuer } from '@tenant-assistant/testing';
import type { Context } from 'aws-lambda';
import { cognitoTenantDirectory } from '../../src/adapters/cognito';
import type { AdminHttpDeps } from '../../src/http/middlewares';
import { awsError } from './index';

/** The user pool every admin API test runs against. */
export const userPoolId = 'us-east-1_AbCdEf123';

/** One request to the admin API: the route key names method and path, `{name}` filled from pathParameters. */
export interface AdminRequest {
  routeKey: string;
  pathParameters?: Record<string, string>;
  token?: string;
  body?: unknown;
  queryStringParameters?: Record<string, string>;
}

/** The route `routeKey` with its path parameters, e.g. `route('POST /admin/tenants/{tenantId}/suspend', { tenantId: 'acme' })`. */
export const route = (routeKey: string, pathParameters?: Record<string, string>): AdminRequest =>
  pathParameters ? { routeKey, pathParameters } : { routeKey };

type AdminHandler = (event: never, context: Context) => Promise<{ statusCode: number; body?: string }>;

/** Sends `request` through `handler` as API Gateway would and returns the status and the parsed body. */
export const callAdmin = async (handler: AdminHandler, request: AdminRequest) => {
  const [method = 'GET', template = '/'] = request.routeKey.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => request.pathParameters?.[name] ?? '');
  const response = await handler(httpApiEvent({ method, path, ...request }) as never, lambdaContext());
  return {
    statusCode: response.statusCode,
    body: JSON.parse(response.body || 'null') as Record<string, unknown>,
  };
};

/** A token issuer for `userPoolId` and the admin API's HTTP dependencies that trust it and read groups from `cognito`. */
export const adminHttp = async (
  cognito: CognitoIdentityProviderClient,
  logger: Logger,
): Promise<{ issuer: TestIssuer; http: AdminHttpDeps }> => {
  const issuer = await createTestIssuer({ userPoolId });
  return {
    issuer,
    http: {
      verifier: createTokenVerifier({ userPoolId, clientId: issuer.clientId, jwks: issuer.jwks as never }),
      directory: () => cognitoTenantDirectory(cognito, userPoolId),
      logger,
      webOrigins: () => ['http://localhost:5173'],
    },
  };
};

/** A fake AdminListGroupsForUser over `groupsOf`: a username it does not know is Cognito's UserNotFoundException. */
export const listGroupsFrom =
  (groupsOf: (username: string) => readonly string[] | undefined) => (input: { Username: string }) => {
    const groups = groupsOf(input.Username);
    if (!groups) throw awsError('UserNotFoundException', 'User does not exist.');
    return { Groups: groups.map((GroupName) => ({ GroupName })) };
  };
