/** What the gateway knows of a table, and the faults it answers with DynamoDB's own wording. */

export interface TableKeySchema {
  /** Partition-key attribute of the table. */
  partitionKey: string;
  /** Partition-key attribute of each index (a local secondary index shares the table's). */
  indexPartitionKeys: Readonly<Record<string, string>>;
}

export type TableSchemaLookup = (tableName: string) => Promise<TableKeySchema | undefined>;

export interface AccessCheck {
  action: string;
  resourceArn: string;
  /** Present for item-level actions; every value must be allowed. */
  leadingKeys?: string[];
}

export type DynamoDbFaultType =
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'ResourceNotFoundException'
  | 'AccessDeniedException';

/** A request the gateway answers itself, with DynamoDB's error type and wording. */
export class DynamoDbRequestFault extends Error {
  override name = 'DynamoDbRequestFault';

  constructor(
    readonly type: DynamoDbFaultType,
    message: string,
  ) {
    super(message);
  }
}
