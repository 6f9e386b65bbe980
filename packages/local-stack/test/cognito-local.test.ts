import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type CognitoLocal, StandInStartError, startCognitoLocal } from '../src';
import { errorOf, LOCAL_CREDENTIALS } from './fixtures';

/** Signs a user in with USER_PASSWORD_AUTH, answering NEW_PASSWORD_REQUIRED when asked. */
/** The dev tools' client (the local admin key) of a running local Cognito. */
const adminClient = (cognito: CognitoLocal) =>
  new CognitoIdentityProviderClient({
    endpoint: cognito.url,
    region: cognito.region,
    credentials: LOCAL_CREDENTIALS,
  });

/** Creates `username` in the pool with the temporary password `Temporary#Pass1`, sending nothing. */
const createUser = (
  client: CognitoIdentityProviderClient,
  cognito: CognitoLocal,
  username: string,
  attributes: { Name: string; Value: string }[],
) =>
  client.send(
    new AdminCreateUserCommand({
      UserPoolId: cognito.userPoolId,
      Username: username,
      TemporaryPassword: 'Temporary#Pass1',
      MessageAction: 'SUPPRESS',
      UserAttributes: attributes,
    }),
  );

const signIn = async (
  client: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password: string,
  newPassword: string,
) => {
  const first = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  if (first.ChallengeName !== 'NEW_PASSWORD_REQUIRED')
    return { challenge: undefined, result: first.AuthenticationResult };
  const second = await client.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: clientId,
      Session: first.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    }),
  );
  return { challenge: first.ChallengeName, result: second.AuthenticationResult };
};

describe('startCognitoLocal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognito-local-test-'));
  let cognito: CognitoLocal;
  let client: CognitoIdentityProviderClient;

  beforeAll(async () => {
    cognito = await startCognitoLocal({ port: 0, dataDir });
    client = adminClient(cognito);
    await createUser(client, cognito, 'tenant1-user', [
      { Name: 'email', Value: 'tenant1-user@example.com' },
      { Name: 'custom:tenantId', Value: 'tenant1' },
    ]);
  });

  afterAll(async () => {
    client?.destroy();
    await cognito?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses a region-format user pool id', () => {
    expect(cognito.userPoolId).toBe('us-east-1_LocalDev1');
    expect(cognito.region).toBe('us-east-1');
    expect(cognito.issuer).toBe(`${cognito.url}/us-east-1_LocalDev1`);
  });

  it('signs a new user in through NEW_PASSWORD_REQUIRED and issues an ID token that verifies against its JWKS', async () => {
    // Act
    const { challenge, result } = await signIn(
      client,
      cognito.clientId,
      'tenant1-user',
      'Temporary#Pass1',
      'Permanent#Pass2',
    );

    // Assess
    expect(challenge).toBe('NEW_PASSWORD_REQUIRED');
    const jwks = createRemoteJWKSet(new URL(cognito.jwksUrl));
    const { payload } = await jwtVerify(result?.IdToken ?? '', jwks, {
      issuer: cognito.issuer,
      audience: cognito.clientId,
    });
    expect(payload).toMatchObject({
      token_use: 'id',
      'cognito:username': 'tenant1-user',
      'custom:tenantId': 'tenant1',
    });
    const access = await jwtVerify(result?.AccessToken ?? '', jwks, { issuer: cognito.issuer });
    expect(access.payload).toMatchObject({
      token_use: 'access',
      client_id: cognito.clientId,
      sub: payload.sub,
    });
  });

  it('signs the user in directly with the new password afterwards', async () => {
    const { challenge, result } = await signIn(
      client,
      cognito.clientId,
      'tenant1-user',
      'Permanent#Pass2',
      'unused',
    );

    expect(challenge).toBeUndefined();
    expect(result?.IdToken).toBeDefined();
  });

  it('refuses a wrong password', async () => {
    const error = await errorOf(signIn(client, cognito.clientId, 'tenant1-user', 'Wrong#Pass3', 'unused'));

    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Incorrect username or password.');
  });

  it('publishes an openid-configuration with its real issuer and JWKS URL', async () => {
    const response = await fetch(`${cognito.url}/${cognito.userPoolId}/.well-known/openid-configuration`);

    expect(await response.json()).toMatchObject({ issuer: cognito.issuer, jwks_uri: cognito.jwksUrl });
  });

  it('issues tokens whose tampered payload no longer verifies', async () => {
    // Prepare
    const { result } = await signIn(client, cognito.clientId, 'tenant1-user', 'Permanent#Pass2', 'unused');
    const [header, payload, signature] = (result?.IdToken ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, 'custom:tenantId': 'tenant2' })).toString('base64url'),
      signature,
    ].join('.');

    // Act
    const error = await errorOf(
      jwtVerify(forged, createRemoteJWKSet(new URL(cognito.jwksUrl)), { issuer: cognito.issuer }),
    );

    // Assess
    expect(error.name).toBe('JWSSignatureVerificationFailed');
  });

  it('refuses a pool id that is not in region format', async () => {
    await expect(startCognitoLocal({ port: 0, dataDir, userPoolId: 'local_abc' })).rejects.toBeInstanceOf(
      StandInStartError,
    );
  });
});

describe('startCognitoLocal with a pre-token-generation trigger', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognito-local-trigger-'));
  const invoked: Array<{ path: string; event: Record<string, unknown> }> = [];
  let lambda: Server;
  let cognito: CognitoLocal;

  beforeAll(async () => {
    // A fake Lambda Invoke API (as serverless-offline serves it): copies custom:tenantId into tenantId.
    lambda = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const event = JSON.parse(raw) as {
          request: { userAttributes: Record<string, string> };
          response: unknown;
        };
        invoked.push({ path: req.url ?? '', event });
        const tenantId = event.request.userAttributes['custom:tenantId'];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ...event,
            response: { claimsOverrideDetails: { claimsToAddOrOverride: { tenantId } } },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
    cognito = await startCognitoLocal({
      port: 0,
      dataDir,
      lambdaEndpoint: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
      triggers: { PreTokenGeneration: 'tenant-assistant-auth-local-preTokenGeneration' },
    });
  });

  afterAll(async () => {
    await cognito?.close();
    await new Promise<void>((resolve) => lambda.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('calls the trigger through the Lambda endpoint and puts its claims into the ID token', async () => {
    // Prepare
    const client = adminClient(cognito);
    await createUser(client, cognito, 'tenant2-user', [{ Name: 'custom:tenantId', Value: 'tenant2' }]);

    // Act
    const { result } = await signIn(
      client,
      cognito.clientId,
      'tenant2-user',
      'Temporary#Pass1',
      'Permanent#Pass2',
    );
    client.destroy();

    // Assess
    const { payload } = await jwtVerify(result?.IdToken ?? '', createRemoteJWKSet(new URL(cognito.jwksUrl)), {
      issuer: cognito.issuer,
    });
    expect(payload.tenantId).toBe('tenant2');
    expect(invoked.at(-1)?.path).toBe(
      '/2015-03-31/functions/tenant-assistant-auth-local-preTokenGeneration/invocations',
    );
    // cognito-local sends the V1 event shape and TokenGeneration_Authentication for every sign-in.
    expect(invoked.at(-1)?.event).toMatchObject({
      triggerSource: 'TokenGeneration_Authentication',
      userPoolId: 'us-east-1_LocalDev1',
    });
  });
});

describe('startCognitoLocal restarts', () => {
  it('keeps the pool, the app client and the users in dataDir', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'cognito-local-restart-'));
    try {
      const first = await startCognitoLocal({ port: 0, dataDir });
      const firstClient = adminClient(first);
      await createUser(firstClient, first, 'tenant3-user', [{ Name: 'custom:tenantId', Value: 'tenant3' }]);
      firstClient.destroy();
      await first.close();

      // Act
      const second = await startCognitoLocal({ port: 0, dataDir });
      const secondClient = adminClient(second);
      const { result } = await signIn(
        secondClient,
        second.clientId,
        'tenant3-user',
        'Temporary#Pass1',
        'Permanent#Pass2',
      ).finally(async () => {
        secondClient.destroy();
        await second.close();
      });

      // Assess
      const claims = JSON.parse(
        Buffer.from((result?.IdToken ?? '').split('.')[1] ?? '', 'base64url').toString(),
      );
      expect(claims['custom:tenantId']).toBe('tenant3');
      expect(claims.iss).toBe(second.issuer);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
