import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbLocal, startDynamoDbLocal } from '@tenant-assistant/local-stack';
import { type CfnTemplate, packageService, resourcesOfType } from '@tenant-assistant/testing';
import { createAnswersTable } from '../../src/adapters/answers-table';
import { createConnectionsTable } from '../../src/adapters/connections-table';

/**
 * The `local` stage for the local-stage tests (test/local-stage/*.ts): its packaged template and
 * Amazon DynamoDB Local with the tables exactly as that template declares them. test/local-stage.test.ts
 * starts it once, before any of them runs.
 */
export const NOW = new Date('2025-03-01T12:00:00.000Z');
let dynamodb: DynamoDbLocal;
export let template: CfnTemplate;
export let client: DynamoDBDocumentClient;
export const tables: Record<string, string> = {};

/** Starts DynamoDB Local and packages the local stage, then creates the tables as its template declares them. */
export const startLocalStage = async () => {
  let local: DynamoDbLocal;
  [local, template] = await Promise.all([
    startDynamoDbLocal({ port: 0 }),
    packageService(join(__dirname, '..', '..'), { stage: 'local' }),
  ]);
  dynamodb = local;
  const raw = new DynamoDBClient({
    endpoint: dynamodb.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  for (const [logicalId, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    const { TableName, KeySchema, AttributeDefinitions, LocalSecondaryIndexes, GlobalSecondaryIndexes } =
      table.Properties as unknown as CreateTableCommandInput;
    await raw.send(
      new CreateTableCommand({
        TableName,
        KeySchema,
        AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(LocalSecondaryIndexes ? { LocalSecondaryIndexes } : {}),
        ...(GlobalSecondaryIndexes ? { GlobalSecondaryIndexes } : {}),
      }),
    );
    tables[logicalId] = TableName as string;
  }
};

/** Stops what startLocalStage started. */
export const stopLocalStage = async () => {
  client?.destroy();
  await dynamodb?.close();
};

export const answersTable = () =>
  createAnswersTable(client, {
    answers: () => tables.AnswersTable as string,
    conversations: () => tables.ConversationsTable as string,
  });
export const connectionsTable = () => createConnectionsTable(client, () => tables.ConnectionsTable as string);
