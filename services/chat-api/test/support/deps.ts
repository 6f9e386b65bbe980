import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import type { TestIssuer } from '@tenant-assistant/testing';
import { createAnswersTable } from '../../src/adapters/answers-table';
import { createConnectionsTable } from '../../src/adapters/connections-table';
import { WEB_ORIGIN } from './http';
import { testAuth } from './tokens';

/** A document client for the mocked DynamoDB (aws-sdk-client-mock intercepts every instance). */
export const testDocumentClient = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const silentLogger = () => createLogger({ serviceName: 'chat-api', logLevel: 'SILENT' });

/** Dependencies of the read routes over the real adapters (tables `answers`, `connections`). */
export const readDeps = (verifier: TokenVerifier) => {
  const client = testDocumentClient();
  return {
    verifier,
    logger: silentLogger(),
    webOrigins: () => [WEB_ORIGIN],
    answers: createAnswersTable(client, { answers: () => 'answers', conversations: () => 'conversations' }),
    clock: () => new Date(),
    connections: createConnectionsTable(client, () => 'connections'),
  };
};

/**
 * The read routes' shared set-up: a test token issuer and the handler over {@link readDeps}, made
 * once before the file's tests (`setup.issuer`, `setup.handler`).
 */
export const readHandlerSetup = <H>(create: (deps: ReturnType<typeof readDeps>) => H) => {
  const setup = {} as { issuer: TestIssuer; handler: H };
  beforeAll(async () => {
    const auth = await testAuth();
    setup.issuer = auth.issuer;
    setup.handler = create(readDeps(auth.verifier));
  });
  return setup;
};
