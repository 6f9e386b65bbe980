import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { CfnTemplate } from '@tenant-assistant/testing';

type TableProperties = {
  TableName?: unknown;
  KeySchema: CreateTableCommandInput['KeySchema'];
  AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: unknown; Projection: unknown }[];
  LocalSecondaryIndexes?: { IndexName: string; KeySchema: unknown; Projection: unknown }[];
  TimeToLiveSpecification?: { AttributeName?: string; Enabled?: boolean };
};

/** The DynamoDB tables a packaged template declares, as CreateTable inputs (plus their TTL attribute). */
export const tablesOfTemplate = (
  template: CfnTemplate,
): { input: CreateTableCommandInput; ttlAttribute?: string; logicalId: string }[] =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, resource]) => {
      const p = resource.Properties as TableProperties;
      if (typeof p.TableName !== 'string') {
        throw new Error(`Table ${logicalId} has no literal TableName; the local stack needs one`);
      }
      const input: CreateTableCommandInput = {
        TableName: p.TableName,
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(p.GlobalSecondaryIndexes
          ? {
              GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map((index) => ({
                IndexName: index.IndexName,
                KeySchema: index.KeySchema,
                Projection: index.Projection,
              })) as CreateTableCommandInput['GlobalSecondaryIndexes'],
            }
          : {}),
        ...(p.LocalSecondaryIndexes
          ? {
              LocalSecondaryIndexes:
                p.LocalSecondaryIndexes as CreateTableCommandInput['LocalSecondaryIndexes'],
            }
          : {}),
      };
      const ttl = p.TimeToLiveSpecification;
      return {
        logicalId,
        input,
        ...(ttl?.Enabled && ttl.AttributeName ? { ttlAttribute: ttl.AttributeName } : {}),
      };
    });

/** Creates (if missing) every table a packaged template declares, exactly as declared. */
export const createTablesOfTemplate = async (
  client: DynamoDBClient,
  template: CfnTemplate,
): Promise<string[]> => {
  const created: string[] = [];
  for (const { input, ttlAttribute } of tablesOfTemplate(template)) {
    try {
      await client.send(new CreateTableCommand(input));
      created.push(input.TableName as string);
      if (ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: input.TableName,
            TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
          }),
        );
      }
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await client.send(new DescribeTableCommand({ TableName: input.TableName }));
  }
  return created;
};
