import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import {
  badTokens,
  captureOutput,
  lambdaContext,
  randomUserId,
  type TestIssuer,
  webSocketConnectEvent,
} from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger, testDocumentClient } from '../../../test/support/deps';
import { expectError } from '../../../test/support/http';
import { audibleLogger } from '../../../test/support/logger';
import { testAuth } from '../../../test/support/tokens';
import { createConnectionsTable } from '../../adapters/connections-table';
import { createHandler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2025-03-01T12:00:00.000Z');
let issuer: TestIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  ({ issuer, verifier } = await testAuth());
});

beforeEach(() => {
  ddb.reset();
  ddb.on(PutCommand).resolves({});
});

const makeHandler = (logger = silentLogger()) =>
  createHandler({
    verifier,
    logger,
    connections: createConnectionsTable(testDocumentClient(), () => 'connections'),
    clock: () => NOW,
    connectionTtlSeconds: () => 7200,
  });

describe('wsConnect handler', () => {
  it('stores the connection with the user and tenant of the verified ?token=, expiring after the TTL', async () => {
    // Prepare
    const sub = randomUserId();
    const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });
    const event = webSocketConnectEvent({ connectionId: 'conn-1=', token });

    // Act
    const result = await makeHandler()(event, lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(ddb.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'connections',
        Item: {
          connectionId: 'conn-1=',
          userId: sub,
          tenantId: 'tenant-a',
          connectedAt: NOW.toISOString(),
          expiresAt: NOW.getTime() / 1000 + 7200,
        },
      },
    ]);
  });

  it('ignores tenant or user ids passed in the query string', async () => {
    // Prepare
    const sub = randomUserId();
    const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });
    const event = webSocketConnectEvent({
      token,
      queryStringParameters: { tenantId: 'tenant-b', userId: randomUserId() },
    });

    // Act
    await makeHandler()(event, lambdaContext());

    // Assess
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      userId: sub,
      tenantId: 'tenant-a',
    });
  });

  it('never logs the token from the query string, accepted or refused', async () => {
    // Prepare
    const token = await issuer.idToken();
    const expired = await issuer.idToken({ expiresInSeconds: -30 });
    const handler = makeHandler(audibleLogger());

    // Act
    const { output } = await captureOutput(async () => {
      await handler(webSocketConnectEvent({ token }), lambdaContext());
      await handler(webSocketConnectEvent({ token: expired }), lambdaContext());
    });

    // Assess
    expect(output).toContain('Request refused');
    for (const secret of [token, expired]) expect(output).not.toContain(secret.split('.')[2]);
  });

  describe('refusals', () => {
    it.each([
      ['no token', async () => undefined],
      ['an expired token', () => issuer.idToken({ expiresInSeconds: -30 })],
      [
        'an alg none token',
        async () => badTokens.algNone({ sub: randomUserId(), 'custom:tenantId': 'tenant-a' }),
      ],
      [
        'a forged token',
        async () => badTokens.tamperedPayload(await issuer.idToken(), { sub: randomUserId() }),
      ],
    ])('refuses a connection with %s (401) and stores nothing', async (_case, mint) => {
      // Prepare
      const token = await mint();
      const event = webSocketConnectEvent(token === undefined ? {} : { token });

      // Act
      const result = await makeHandler()(event, lambdaContext());

      // Assess
      expectError(result, 401, 'UNAUTHORIZED');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('refuses a connection whose token has no tenant (403)', async () => {
      // Prepare
      const event = webSocketConnectEvent({ token: await issuer.idToken({ tenantId: null }) });

      // Act
      const result = await makeHandler()(event, lambdaContext());

      // Assess
      expectError(result, 403, 'FORBIDDEN');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('refuses the connection (500) when it cannot be stored', async () => {
      // Prepare
      ddb.on(PutCommand).rejects(new Error('throttled'));
      const event = webSocketConnectEvent({ token: await issuer.idToken() });

      // Act
      const result = await makeHandler()(event, lambdaContext());

      // Assess
      expectError(result, 500, 'INTERNAL_ERROR');
    });
  });
});
