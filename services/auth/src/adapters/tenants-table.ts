import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TenantDefinition, TenantRecord, TenantStatus } from '../domain/tenant-record';
import { InvalidInputError, TenantRegistryError } from '../errors';

/** A page of tenants and the cursor of the next page (absent on the last). */
export interface TenantPage {
  items: TenantRecord[];
  nextCursor?: string;
}

/**
 * The tenant registry port: the auth service's own table of tenants (definition and status), one
 * item per tenant, key `tenantId`. It holds no tenant data, only what the control plane needs.
 */
export interface TenantRegistry {
  get(tenantId: string): Promise<TenantRecord | undefined>;
  /** Stores a new ACTIVE tenant; returns the stored record when one exists already (nothing written). */
  create(
    definition: TenantDefinition,
    now: string,
  ): Promise<{ created: true } | { created: false; existing: TenantRecord }>;
  /** Changes some definition fields of an existing tenant; `undefined` when there is none. */
  update(
    tenantId: string,
    changes: Partial<Omit<TenantDefinition, 'tenantId'>>,
    now: string,
  ): Promise<TenantRecord | undefined>;
  /** Sets the status of an existing tenant; `undefined` when there is none. */
  setStatus(tenantId: string, status: TenantStatus, now: string): Promise<TenantRecord | undefined>;
  list(options: { limit: number; cursor?: string }): Promise<TenantPage>;
}

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string): Record<string, unknown> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && typeof (key as { tenantId?: unknown }).tenantId === 'string') {
      return { tenantId: (key as { tenantId: string }).tenantId };
    }
  } catch {
    // falls through to the refusal
  }
  throw new InvalidInputError('listTenants', ['cursor: is not a cursor this API returned']);
};

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/**
 * The {@link TenantRegistry} over a DynamoDB table.
 * @example const registry = dynamoTenantRegistry(documents, 'tenant-assistant-auth-dev-tenants');
 */
export const dynamoTenantRegistry = (
  documents: DynamoDBDocumentClient,
  tableName: string,
): TenantRegistry => {
  const request = async <T>(operation: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw new TenantRegistryError(operation, error);
    }
  };

  return {
    async get(tenantId) {
      const { Item } = await request('GetItem', () =>
        documents.send(new GetCommand({ TableName: tableName, Key: { tenantId }, ConsistentRead: true })),
      );
      return Item as TenantRecord | undefined;
    },

    async create(definition, now) {
      const item: TenantRecord = { ...definition, status: 'ACTIVE', createdAt: now, updatedAt: now };
      try {
        await request('PutItem', () =>
          documents.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ConditionExpression: 'attribute_not_exists(tenantId)',
            }),
          ),
        );
        return { created: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const existing = await this.get(definition.tenantId);
        if (!existing) throw new TenantRegistryError('PutItem', error);
        return { created: false, existing };
      }
    },

    async update(tenantId, changes, now) {
      const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
      const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':updatedAt': now };
      const sets = ['#updatedAt = :updatedAt'];
      for (const [field, value] of fields) {
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      try {
        const { Attributes } = await request('UpdateItem', () =>
          documents.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { tenantId },
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: 'attribute_exists(tenantId)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return Attributes as TenantRecord;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async setStatus(tenantId, status, now) {
      try {
        const { Attributes } = await request('UpdateItem', () =>
          documents.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { tenantId },
              UpdateExpression: 'SET #status = :status, #updatedAt = :updatedAt',
              ConditionExpression: 'attribute_exists(tenantId)',
              ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
              ExpressionAttributeValues: { ':status': status, ':updatedAt': now },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return Attributes as TenantRecord;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async list({ limit, cursor }) {
      const { Items, LastEvaluatedKey } = await request('Scan', () =>
        documents.send(
          new ScanCommand({
            TableName: tableName,
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
          }),
        ),
      );
      return {
        items: ((Items ?? []) as TenantRecord[]).sort((a, b) => a.tenantId.localeCompare(b.tenantId)),
        ...(LastEvaluatedKey ? { nextCursor: encodeCursor(LastEvaluatedKey) } : {}),
      };
    },
  };
};
