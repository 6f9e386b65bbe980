import { isJsonObject } from '../common/server';
import { DynamoDbRequestFault, type TableKeySchema } from './request-fault';

/**
 * The partition-key values (IAM's `dynamodb:LeadingKeys`) a request names: an item's key, a Query's
 * key condition (expression or legacy `KeyConditions`), an index's partition key. What cannot be
 * read with certainty fails closed, as a fault DynamoDB would answer.
 */

type AttributeValue = Record<string, unknown>;
type Json = Record<string, unknown>;

const isRecord = isJsonObject;

/** The partition-key value as IAM sees it in `dynamodb:LeadingKeys` (S, N or B as sent). */
export const keyString = (value: unknown): string | undefined => {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value as AttributeValue);
  if (entries.length !== 1) return undefined;
  const [type, raw] = entries[0] as [string, unknown];
  if ((type === 'S' || type === 'N' || type === 'B') && typeof raw === 'string') return raw;
  return undefined;
};

export const keyValueOf = (item: unknown, schema: TableKeySchema): string => {
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

export const queryLeadingKeys = (body: Json, partitionKey: string): string[] => {
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

export const indexPartitionKey = (schema: TableKeySchema, indexName: string): string => {
  const key = schema.indexPartitionKeys[indexName];
  if (key === undefined) {
    throw new DynamoDbRequestFault(
      'ValidationException',
      `The table does not have the specified index: ${indexName}`,
    );
  }
  return key;
};
