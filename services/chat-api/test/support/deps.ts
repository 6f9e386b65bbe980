import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import type { TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { createAnswersTable } from '../../src/adapters/answers-table';
import { createConnectionsTable } from '../../src/adapters/connections-table';
import { WEB_ORIGIN } from './http';

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
