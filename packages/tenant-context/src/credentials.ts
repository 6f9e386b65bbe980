import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LRUCache } from 'lru-cache';
import * as z from 'zod';
import { InvalidSessionAttributesError, ScopedCredentialsError } from './errors';
import { parseTenantId, parseUserId, type TenantContext, tenantIdSchema, userIdSchema } from './identity';
import { type TenantTables, tenantSessionPolicy } from './session-policy';

export {
  type PolicyDocument,
  TENANT_DATA_ACTIONS,
  type TenantTables,
  tenantSessionPolicy,
} from './session-policy';

/** Temporary credentials scoped to one (tenant, user). */
export interface ScopedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface ScopedCredentialsProviderOptions {
  /** ARN of TenantDataAccessRole. */
  roleArn: string;
  /** The STS client (created once at module scope by the caller). */
  sts: STSClient;
  /** Tables for the session policy. */
  tables: TenantTables;
  /** Lifetime asked of STS, seconds (900–43200; default 3600). */
  durationSeconds?: number;
  /** Credentials are refreshed this long before they expire (default 5 minutes). */
  refreshBeforeExpiryMs?: number;
  /** Most (tenant, user) pairs kept; the least recently used is dropped (default 1000). */
  maxEntries?: number;
  /** Clock, milliseconds since epoch (tests pass a fake). */
  clock?: () => number;
}

export interface ScopedCredentialsProvider {
  /** Credentials for exactly this (tenant, user): cached, or from one shared AssumeRole call. */
  get(tenant: TenantContext): Promise<ScopedCredentials>;
  /** How many (tenant, user) pairs are cached. */
  readonly size: number;
  /** Forgets every cached credential. */
  clear(): void;
}

/**
 * The token vending machine: AssumeRole on TenantDataAccessRole with session tags `tenantId` and
 * `userId` and the {@link tenantSessionPolicy}; caches per (tenant, user) until 5 minutes before
 * expiry, shares one in-flight call among concurrent callers, never caches a failure.
 *
 * @example
 * const provider = createScopedCredentialsProvider({ roleArn, sts: new STSClient({}), tables });
 * const credentials = await provider.get(ctx);
 */
export const createScopedCredentialsProvider = (
  options: ScopedCredentialsProviderOptions,
): ScopedCredentialsProvider => {
  const {
    roleArn,
    sts,
    tables,
    durationSeconds = 3600,
    refreshBeforeExpiryMs = 5 * 60_000,
    maxEntries = 1000,
    clock = Date.now,
  } = options;
  const assumeRole = async (tenant: TenantContext): Promise<ScopedCredentials> => {
    const policy = tenantSessionPolicy(tenant, tables);
    let output: AssumeRoleCommandOutput;
    try {
      output = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: `${tenant.tenantId.slice(0, 27)}.${tenant.userId}`,
          DurationSeconds: durationSeconds,
          Policy: JSON.stringify(policy),
          Tags: [
            { Key: 'tenantId', Value: tenant.tenantId },
            { Key: 'userId', Value: tenant.userId },
          ],
        }),
      );
    } catch (error) {
      throw new ScopedCredentialsError('AssumeRole for tenant-scoped credentials failed', error);
    }
    const c = output.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new ScopedCredentialsError('AssumeRole returned no credentials');
    }
    return Object.freeze({
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(c.Expiration),
    });
  };

  // lru-cache shares one fetch among concurrent callers of a key and drops a rejected fetch;
  // `ignoreFetchAbort` lets an evicted in-flight call settle for its callers without touching the
  // entry that replaced it. Each entry lives until `refreshBeforeExpiryMs` before it expires.
  const cache = new LRUCache<string, ScopedCredentials, TenantContext>({
    max: maxEntries,
    ttl: Math.max(1, durationSeconds * 1000 - refreshBeforeExpiryMs),
    ttlResolution: 0,
    perf: { now: clock },
    ignoreFetchAbort: true,
    fetchMethod: async (_key, _stale, { options: entry, context }) => {
      const credentials = await assumeRole(context);
      // lru-cache keeps an entry while its age is at most `ttl`: stale from `expiration - margin` on.
      entry.ttl = Math.max(1, credentials.expiration.getTime() - refreshBeforeExpiryMs - clock() - 1);
      return credentials;
    },
  });

  return {
    async get(tenant) {
      const key = `${parseTenantId(tenant.tenantId)}/${parseUserId(tenant.userId)}`;
      const credentials = (await cache.fetch(key, { context: tenant })) as ScopedCredentials;
      // Credentials that arrive already inside the refresh margin serve this call only.
      if (credentials.expiration.getTime() - refreshBeforeExpiryMs <= clock()) cache.delete(key);
      return credentials;
    },
    get size() {
      return cache.size;
    },
    clear() {
      cache.clear();
    },
  };
};

const clients = new Map<string, { credentials: ScopedCredentials; client: DynamoDBDocumentClient }>();
const MAX_CLIENTS = 100;

/**
 * A DynamoDB document client that signs with the given scoped credentials. Clients are reused for the
 * same credentials (a warm container does not rebuild one per invocation) — only when access key id,
 * secret and session token all match, so knowing another session's access key id never yields its
 * client. Region and endpoint come from the SDK's standard configuration (`AWS_REGION`,
 * `AWS_ENDPOINT_URL_DYNAMODB`).
 *
 * @example
 * const db = scopedDocumentClient(credentials);
 * await db.send(new GetCommand({ TableName, Key: { tenantId } }));
 */
export const scopedDocumentClient = (credentials: ScopedCredentials): DynamoDBDocumentClient => {
  const key = credentials.accessKeyId;
  const existing = clients.get(key);
  if (
    existing &&
    existing.credentials.secretAccessKey === credentials.secretAccessKey &&
    existing.credentials.sessionToken === credentials.sessionToken
  ) {
    clients.delete(key); // re-insert: most recently used last
    clients.set(key, existing);
    return existing.client;
  }
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration,
      },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  clients.delete(key);
  clients.set(key, { credentials, client });
  if (clients.size > MAX_CLIENTS) {
    const oldest = clients.keys().next().value;
    if (oldest !== undefined) {
      clients.get(oldest)?.client.destroy();
      clients.delete(oldest);
    }
  }
  return client;
};

/** Bedrock session attribute names (string → string) carrying identity and scoped credentials. */
export const SESSION_ATTRIBUTE_KEYS = {
  tenantId: 'tenantId',
  userId: 'userId',
  accessKeyId: 'scopedAccessKeyId',
  secretAccessKey: 'scopedSecretAccessKey',
  sessionToken: 'scopedSessionToken',
  expiration: 'scopedCredentialsExpiration',
} as const;

const sessionAttributesSchema = z.object({
  [SESSION_ATTRIBUTE_KEYS.tenantId]: tenantIdSchema,
  [SESSION_ATTRIBUTE_KEYS.userId]: userIdSchema,
  [SESSION_ATTRIBUTE_KEYS.accessKeyId]: z.string().regex(/^[A-Z0-9]{16,128}$/),
  [SESSION_ATTRIBUTE_KEYS.secretAccessKey]: z.string().min(16).max(128),
  [SESSION_ATTRIBUTE_KEYS.sessionToken]: z.string().min(16).max(4096),
  [SESSION_ATTRIBUTE_KEYS.expiration]: z.iso.datetime({ offset: true }),
});

/**
 * Bedrock `sessionState.sessionAttributes` for a (tenant, user) and its scoped credentials.
 * Never put these in `promptSessionAttributes`: the model sees those.
 *
 * @example sessionState: { sessionAttributes: toSessionAttributes(ctx, credentials) }
 */
export const toSessionAttributes = (
  tenant: TenantContext,
  credentials: ScopedCredentials,
): Record<string, string> => ({
  [SESSION_ATTRIBUTE_KEYS.tenantId]: parseTenantId(tenant.tenantId),
  [SESSION_ATTRIBUTE_KEYS.userId]: parseUserId(tenant.userId),
  [SESSION_ATTRIBUTE_KEYS.accessKeyId]: credentials.accessKeyId,
  [SESSION_ATTRIBUTE_KEYS.secretAccessKey]: credentials.secretAccessKey,
  [SESSION_ATTRIBUTE_KEYS.sessionToken]: credentials.sessionToken,
  [SESSION_ATTRIBUTE_KEYS.expiration]: credentials.expiration.toISOString(),
});

/**
 * Reads and validates tenant, user and scoped credentials from Bedrock session attributes.
 * Throws InvalidSessionAttributesError (never naming secret values) when anything is missing or bad.
 *
 * @example const { tenant, credentials } = fromSessionAttributes(event.sessionAttributes);
 */
export const fromSessionAttributes = (
  attributes: unknown,
): { tenant: TenantContext; credentials: ScopedCredentials } => {
  const result = sessionAttributesSchema.safeParse(attributes ?? {});
  if (!result.success) {
    throw new InvalidSessionAttributesError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`),
    );
  }
  const a = result.data;
  return {
    tenant: Object.freeze({ tenantId: a.tenantId, userId: a.userId }),
    credentials: Object.freeze({
      accessKeyId: a.scopedAccessKeyId,
      secretAccessKey: a.scopedSecretAccessKey,
      sessionToken: a.scopedSessionToken,
      expiration: new Date(a.scopedCredentialsExpiration),
    }),
  };
};
