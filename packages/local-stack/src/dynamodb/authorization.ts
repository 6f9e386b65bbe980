/**
 * Turns one DynamoDB JSON request into the IAM checks AWS makes for it: action, resource ARN and the
 * `dynamodb:LeadingKeys` condition key (the partition-key values the request touches).
 *
 * Whenever the leading keys of a request cannot be determined with certainty, the request is refused
 * (fail closed): `ForAllValues:StringEquals` is true for an absent key, so guessing "none" would allow it.
 */

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

type AttributeValue = Record<string, unknown>;
type Json = Record<string, unknown>;

export interface AccessCheckContext {
  region: string;
  accountId: string;
  schemaOf: TableSchemaLookup;
}

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Operations whose resource is `*` (no table). */
const ACCOUNT_LEVEL = new Set([
  'ListTables',
  'DescribeLimits',
  'DescribeEndpoints',
  'ListBackups',
  'ListGlobalTables',
  'ListExports',
  'ListImports',
  'ListContributorInsights',
]);

/** PartiQL: the statement would have to be parsed to know table and keys; not modelled. */
const PARTIQL = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

export const KNOWN_OPERATIONS = new Set([
  'BatchExecuteStatement',
  'BatchGetItem',
  'BatchWriteItem',
  'CreateBackup',
  'CreateGlobalTable',
  'CreateTable',
  'DeleteBackup',
  'DeleteItem',
  'DeleteResourcePolicy',
  'DeleteTable',
  'DescribeBackup',
  'DescribeContinuousBackups',
  'DescribeContributorInsights',
  'DescribeEndpoints',
  'DescribeExport',
  'DescribeGlobalTable',
  'DescribeGlobalTableSettings',
  'DescribeImport',
  'DescribeKinesisStreamingDestination',
  'DescribeLimits',
  'DescribeTable',
  'DescribeTableReplicaAutoScaling',
  'DescribeTimeToLive',
  'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'ExecuteStatement',
  'ExecuteTransaction',
  'ExportTableToPointInTime',
  'GetItem',
  'GetResourcePolicy',
  'ImportTable',
  'ListBackups',
  'ListContributorInsights',
  'ListExports',
  'ListGlobalTables',
  'ListImports',
  'ListTables',
  'ListTagsOfResource',
  'PutItem',
  'PutResourcePolicy',
  'Query',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'Scan',
  'TagResource',
  'TransactGetItems',
  'TransactWriteItems',
  'UntagResource',
  'UpdateContinuousBackups',
  'UpdateContributorInsights',
  'UpdateGlobalTable',
  'UpdateGlobalTableSettings',
  'UpdateItem',
  'UpdateKinesisStreamingDestination',
  'UpdateTable',
  'UpdateTableReplicaAutoScaling',
  'UpdateTimeToLive',
]);

export const isPartiQl = (operation: string) => PARTIQL.has(operation);

/** `TableName` may be a name or (since 2024) a table ARN. */
export const tableNameFrom = (nameOrArn: string): string => {
  const match = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(nameOrArn);
  return match ? (match[1] as string) : nameOrArn;
};

const tableArn = (nameOrArn: string, ctx: AccessCheckContext): string =>
  nameOrArn.startsWith('arn:')
    ? nameOrArn
    : `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${nameOrArn}`;

/** The partition-key value as IAM sees it in `dynamodb:LeadingKeys` (S, N or B as sent). */
const keyString = (value: unknown): string | undefined => {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value as AttributeValue);
  if (entries.length !== 1) return undefined;
  const [type, raw] = entries[0] as [string, unknown];
  if ((type === 'S' || type === 'N' || type === 'B') && typeof raw === 'string') return raw;
  return undefined;
};

const requireString = (body: Json, field: string): string => {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new DynamoDbRequestFault(
      'ValidationException',
      `1 validation error detected: Value null at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

const schemaFor = async (nameOrArn: string, ctx: AccessCheckContext): Promise<TableKeySchema> => {
  const schema = await ctx.schemaOf(tableNameFrom(nameOrArn));
  if (!schema) {
    throw new DynamoDbRequestFault('ResourceNotFoundException', 'Requested resource not found');
  }
  return schema;
};

const keyValueOf = (item: unknown, schema: TableKeySchema): string => {
  const value = isRecord(item) ? keyString(item[schema.partitionKey]) : undefined;
  if (value === undefined) {
    throw new DynamoDbRequestFault(
      'ValidationException',
      'The provided key element does not match the schema',
    );
  }
  return value;
};

const TOKEN = /#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|<=|>=|<>|[=<>(),]/g;
const KEYWORDS = new Set(['and', 'between', 'begins_with']);

/**
 * Every value the partition key is compared with in a KeyConditionExpression. The partition key may
 * only appear as `pk = :v` / `:v = pk`; any other use, or any character we cannot tokenize, fails closed.
 */
export const partitionKeyValuesFromExpression = (
  expression: string,
  partitionKey: string,
  names: Json | undefined,
  values: Json | undefined,
): string[] | undefined => {
  if (expression.replace(TOKEN, '').trim() !== '') return undefined;
  const tokens = expression.match(TOKEN) ?? [];
  const nameOf = (token: string | undefined): string | undefined => {
    if (token === undefined) return undefined;
    if (token.startsWith('#')) {
      const name = names?.[token];
      return typeof name === 'string' ? name : undefined;
    }
    if (/^[A-Za-z_]/.test(token) && !KEYWORDS.has(token.toLowerCase())) return token;
    return undefined;
  };
  const placeholderValue = (token: string | undefined): string | undefined =>
    token?.startsWith(':') ? keyString(values?.[token]) : undefined;
  const found: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    if (nameOf(tokens[i]) !== partitionKey) continue;
    if (tokens[i + 1] === '=' && placeholderValue(tokens[i + 2]) !== undefined && tokens[i - 1] !== '=') {
      found.push(placeholderValue(tokens[i + 2]) as string);
    } else if (
      tokens[i - 1] === '=' &&
      placeholderValue(tokens[i - 2]) !== undefined &&
      tokens[i + 1] !== '='
    ) {
      found.push(placeholderValue(tokens[i - 2]) as string);
    } else {
      return undefined;
    }
  }
  return found.length > 0 ? found : undefined;
};

const queryLeadingKeys = (body: Json, partitionKey: string): string[] => {
  const missed = () =>
    new DynamoDbRequestFault(
      'ValidationException',
      `Query condition missed key schema element: ${partitionKey}`,
    );
  if (typeof body.KeyConditionExpression === 'string') {
    if (body.KeyConditions !== undefined) {
      throw new DynamoDbRequestFault(
        'ValidationException',
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}',
      );
    }
    const keys = partitionKeyValuesFromExpression(
      body.KeyConditionExpression,
      partitionKey,
      isRecord(body.ExpressionAttributeNames) ? body.ExpressionAttributeNames : undefined,
      isRecord(body.ExpressionAttributeValues) ? body.ExpressionAttributeValues : undefined,
    );
    if (!keys) throw missed();
    return keys;
  }
  if (isRecord(body.KeyConditions)) {
    const condition = body.KeyConditions[partitionKey];
    if (
      !isRecord(condition) ||
      condition.ComparisonOperator !== 'EQ' ||
      !Array.isArray(condition.AttributeValueList)
    ) {
      throw missed();
    }
    const value = keyString(condition.AttributeValueList[0]);
    if (value === undefined || condition.AttributeValueList.length !== 1) throw missed();
    return [value];
  }
  throw new DynamoDbRequestFault(
    'ValidationException',
    'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
  );
};

const indexPartitionKey = (schema: TableKeySchema, indexName: string): string => {
  const key = schema.indexPartitionKeys[indexName];
  if (key === undefined) {
    throw new DynamoDbRequestFault(
      'ValidationException',
      `The table does not have the specified index: ${indexName}`,
    );
  }
  return key;
};

/** The IAM checks a request needs; throws DynamoDbRequestFault for requests DynamoDB would reject. */
export const accessChecksFor = async (
  operation: string,
  body: Json,
  ctx: AccessCheckContext,
): Promise<AccessCheck[]> => {
  const action = `dynamodb:${operation}`;
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
    case 'PutItem': {
      const table = requireString(body, 'TableName');
      const schema = await schemaFor(table, ctx);
      const key = keyValueOf(operation === 'PutItem' ? body.Item : body.Key, schema);
      return [{ action, resourceArn: tableArn(table, ctx), leadingKeys: [key] }];
    }
    case 'Query': {
      const table = requireString(body, 'TableName');
      const schema = await schemaFor(table, ctx);
      const indexName = typeof body.IndexName === 'string' ? body.IndexName : undefined;
      const partitionKey = indexName ? indexPartitionKey(schema, indexName) : schema.partitionKey;
      const resourceArn = indexName ? `${tableArn(table, ctx)}/index/${indexName}` : tableArn(table, ctx);
      return [{ action, resourceArn, leadingKeys: queryLeadingKeys(body, partitionKey) }];
    }
    case 'Scan': {
      const table = requireString(body, 'TableName');
      const indexName = typeof body.IndexName === 'string' ? body.IndexName : undefined;
      const resourceArn = indexName ? `${tableArn(table, ctx)}/index/${indexName}` : tableArn(table, ctx);
      return [{ action, resourceArn }];
    }
    case 'BatchGetItem':
    case 'BatchWriteItem': {
      if (!isRecord(body.RequestItems) || Object.keys(body.RequestItems).length === 0) {
        throw new DynamoDbRequestFault('ValidationException', 'The requestItems parameter is required');
      }
      const checks: AccessCheck[] = [];
      for (const [table, request] of Object.entries(body.RequestItems)) {
        const schema = await schemaFor(table, ctx);
        const items =
          operation === 'BatchGetItem'
            ? isRecord(request) && Array.isArray(request.Keys)
              ? request.Keys
              : []
            : (Array.isArray(request) ? request : []).map((write: unknown) => {
                if (!isRecord(write)) return undefined;
                if (isRecord(write.PutRequest)) return write.PutRequest.Item;
                if (isRecord(write.DeleteRequest)) return write.DeleteRequest.Key;
                return undefined;
              });
        if (items.length === 0) {
          throw new DynamoDbRequestFault(
            'ValidationException',
            `The request for table ${table} has no items`,
          );
        }
        checks.push({
          action,
          resourceArn: tableArn(table, ctx),
          leadingKeys: items.map((item: unknown) => keyValueOf(item, schema)),
        });
      }
      return checks;
    }
    case 'TransactGetItems':
    case 'TransactWriteItems': {
      if (!Array.isArray(body.TransactItems) || body.TransactItems.length === 0) {
        throw new DynamoDbRequestFault('ValidationException', 'The transactItems parameter is required');
      }
      const members: Record<string, [string, string]> =
        operation === 'TransactGetItems'
          ? { Get: ['dynamodb:GetItem', 'Key'] }
          : {
              Put: ['dynamodb:PutItem', 'Item'],
              Update: ['dynamodb:UpdateItem', 'Key'],
              Delete: ['dynamodb:DeleteItem', 'Key'],
              ConditionCheck: ['dynamodb:ConditionCheckItem', 'Key'],
            };
      const checks: AccessCheck[] = [];
      for (const entry of body.TransactItems as unknown[]) {
        const kind = isRecord(entry) ? Object.keys(entry).find((k) => k in members) : undefined;
        const member = kind && isRecord(entry) ? entry[kind] : undefined;
        if (!kind || !isRecord(member) || Object.keys(entry as Json).length !== 1) {
          throw new DynamoDbRequestFault(
            'ValidationException',
            `TransactItems can only contain one of ${Object.keys(members).join(', ')}`,
          );
        }
        const [itemAction, keyField] = members[kind] as [string, string];
        const table = requireString(member, 'TableName');
        const schema = await schemaFor(table, ctx);
        checks.push({
          action: itemAction,
          resourceArn: tableArn(table, ctx),
          leadingKeys: [keyValueOf(member[keyField], schema)],
        });
      }
      return checks;
    }
    case 'CreateTable': {
      // Tags given at creation need dynamodb:TagResource too, as in AWS.
      const resourceArn = tableArn(requireString(body, 'TableName'), ctx);
      const tagged = Array.isArray(body.Tags) && body.Tags.length > 0;
      return [{ action, resourceArn }, ...(tagged ? [{ action: 'dynamodb:TagResource', resourceArn }] : [])];
    }
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsOfResource':
    case 'GetResourcePolicy':
    case 'PutResourcePolicy':
    case 'DeleteResourcePolicy':
      return [{ action, resourceArn: requireString(body, 'ResourceArn') }];
    default: {
      if (ACCOUNT_LEVEL.has(operation)) return [{ action, resourceArn: '*' }];
      const table = typeof body.TableName === 'string' ? body.TableName : undefined;
      if (table) return [{ action, resourceArn: tableArn(table, ctx) }];
      const backup = typeof body.BackupArn === 'string' ? body.BackupArn : undefined;
      if (backup) return [{ action, resourceArn: backup }];
      return [{ action, resourceArn: '*' }];
    }
  }
};
