import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TenantPage } from '@tenant-assistant/contracts/admin';
import type { OffboardingService } from '@tenant-assistant/contracts/events';
import {
  newOffboardingRecord,
  type OffboardingStep,
  type StoredTenant,
  type TenantDefinition,
  type TenantRecord,
  type TenantTombstone,
} from '../domain/tenant-record';
import { InvalidInputError, TenantOffboardedError, TenantRegistryError } from '../errors';

/** A page of tenants and the cursor of the next page (absent on the last). */
export type { TenantPage };

/**
 * The tenant registry port: the auth service's own table of tenants (definition and status), one
 * item per tenant, key `tenantId`. It holds no tenant data, only what the control plane needs.
 */
export interface TenantRegistry {
  get(tenantId: string): Promise<StoredTenant | undefined>;
  /** Stores a new ACTIVE tenant; returns the stored record when one exists already (nothing written). */
  create(
    definition: TenantDefinition,
    now: string,
  ): Promise<{ created: true } | { created: false; existing: StoredTenant }>;
  /**
   * Changes some definition fields of an existing tenant; `undefined` when there is none,
   * TenantOffboardedError when it is being or has been offboarded.
   */
  update(
    tenantId: string,
    changes: Partial<Omit<TenantDefinition, 'tenantId'>>,
    now: string,
  ): Promise<TenantRecord | undefined>;
  /** Sets ACTIVE or SUSPENDED (as {@link update}: `undefined` or TenantOffboardedError otherwise). */
  setStatus(tenantId: string, status: 'ACTIVE' | 'SUSPENDED', now: string): Promise<TenantRecord | undefined>;
  /**
   * Marks the tenant OFFBOARDING with a new offboarding record (every service PENDING), or keeps the
   * record of an offboarding already under way; the tombstone of an offboarded tenant is returned
   * unchanged; `undefined` when there is no such tenant.
   */
  beginOffboarding(tenantId: string, now: string): Promise<StoredTenant | undefined>;
  /**
   * Records a service's part as DONE with its counts (the first report wins; a repeated one changes
   * nothing); the record after it, or `undefined` when the tenant is not OFFBOARDING.
   */
  markOffboardingStep(
    tenantId: string,
    service: OffboardingService,
    deleted: Record<string, number>,
    now: string,
  ): Promise<TenantRecord | undefined>;
  /** Replaces the item of an OFFBOARDING tenant by its tombstone; false when it is not OFFBOARDING. */
  storeTombstone(tombstone: TenantTombstone): Promise<boolean>;
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

/** A change of definition or status applies only to a live (ACTIVE or SUSPENDED) tenant. */
const LIVE = 'attribute_exists(tenantId) AND #status IN (:active, :suspended)';
const LIVE_NAMES = { '#status': 'status' };
const LIVE_VALUES = { ':active': 'ACTIVE', ':suspended': 'SUSPENDED' };

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

  /** After a refused change: `undefined` when there is no tenant, else it is being offboarded. */
  /** UpdateItem of one tenant's item, giving the item as it is now; undefined when its condition failed. */
  const updateItem = async (
    input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>,
  ): Promise<TenantRecord | undefined> => {
    try {
      const { Attributes } = await request('UpdateItem', () =>
        documents.send(new UpdateCommand({ TableName: tableName, ...input, ReturnValues: 'ALL_NEW' })),
      );
      return Attributes as TenantRecord;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  };

  const notLive = async (tenantId: string): Promise<undefined> => {
    const { Item } = await request('GetItem', () =>
      documents.send(new GetCommand({ TableName: tableName, Key: { tenantId }, ConsistentRead: true })),
    );
    if (Item) throw new TenantOffboardedError(tenantId);
    return undefined;
  };

  return {
    async get(tenantId) {
      const { Item } = await request('GetItem', () =>
        documents.send(new GetCommand({ TableName: tableName, Key: { tenantId }, ConsistentRead: true })),
      );
      return Item as StoredTenant | undefined;
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
      const updated = await updateItem({
        Key: { tenantId },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: LIVE,
        ExpressionAttributeNames: { ...names, ...LIVE_NAMES },
        ExpressionAttributeValues: { ...values, ...LIVE_VALUES },
      });
      return updated ?? notLive(tenantId);
    },

    async setStatus(tenantId, status, now) {
      const updated = await updateItem({
        Key: { tenantId },
        UpdateExpression: 'SET #status = :status, #updatedAt = :updatedAt',
        ConditionExpression: LIVE,
        ExpressionAttributeNames: { '#updatedAt': 'updatedAt', ...LIVE_NAMES },
        ExpressionAttributeValues: { ':status': status, ':updatedAt': now, ...LIVE_VALUES },
      });
      return updated ?? notLive(tenantId);
    },

    async beginOffboarding(tenantId, now) {
      const updated = await updateItem({
        Key: { tenantId },
        UpdateExpression:
          'SET #status = :offboarding, #updatedAt = :updatedAt, #offboarding = if_not_exists(#offboarding, :record)',
        ConditionExpression: 'attribute_exists(tenantId) AND #status <> :offboarded',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#updatedAt': 'updatedAt',
          '#offboarding': 'offboarding',
        },
        ExpressionAttributeValues: {
          ':offboarding': 'OFFBOARDING',
          ':offboarded': 'OFFBOARDED',
          ':updatedAt': now,
          ':record': newOffboardingRecord(now),
        },
      });
      return updated ?? this.get(tenantId);
    },

    async markOffboardingStep(tenantId, service, deleted, now) {
      const step: OffboardingStep = { status: 'DONE', doneAt: now, deleted };
      return updateItem({
        Key: { tenantId },
        UpdateExpression: 'SET #offboarding.#services.#service = :step, #updatedAt = :updatedAt',
        ConditionExpression: '#status = :offboarding AND #offboarding.#services.#service.#status <> :done',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#updatedAt': 'updatedAt',
          '#offboarding': 'offboarding',
          '#services': 'services',
          '#service': service,
        },
        ExpressionAttributeValues: {
          ':offboarding': 'OFFBOARDING',
          ':done': 'DONE',
          ':step': step,
          ':updatedAt': now,
        },
      });
    },

    async storeTombstone(tombstone) {
      try {
        await request('PutItem', () =>
          documents.send(
            new PutCommand({
              TableName: tableName,
              Item: tombstone,
              ConditionExpression: '#status = :offboarding',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':offboarding': 'OFFBOARDING' },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
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
        items: ((Items ?? []) as StoredTenant[]).sort((a, b) => a.tenantId.localeCompare(b.tenantId)),
        ...(LastEvaluatedKey ? { nextCursor: encodeCursor(LastEvaluatedKey) } : {}),
      };
    },
  };
};
