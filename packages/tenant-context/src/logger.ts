import { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { annotateTrace } from '@tenant-assistant/lambda-kit/tracing';

/** What a masked value is replaced with. */
export const REDACTED = '[REDACTED]';

const SECRET_KEY = new RegExp(
  [
    '^authorization$',
    'password',
    'secret',
    'token$',
    'sessiontoken',
    'accesskeyid',
    '^credentials$',
    '^cookie$',
    '^x-amz-security-token$',
    '^x-amz-credential$',
    '^x-amz-signature$',
  ].join('|'),
  'i',
);
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const AWS_ACCESS_KEY = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
const AWS_SIGNATURE = /\b(Signature|Credential)=[^,\s&]+/g;

/** `"key": "value"` inside a JSON text (e.g. a raw request body logged as a string). */
const JSON_STRING_PAIR = /"([^"\\]{1,100})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;
/** `key=value` inside a query string, form body or header. */
const KEY_VALUE_PAIR = /(^|[?&;,\s])([A-Za-z][A-Za-z0-9_.-]{0,99})=([^&;,\s"']+)/g;

/** True when a property of this name holds a secret whatever its value. */
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

/**
 * Masks secrets inside a string: JWT-shaped values, AWS access key ids, Bearer values, SigV4 parts,
 * and the values of secret keys in embedded JSON (`"password":"…"`) or `key=value` pairs.
 */
export const redactString = (value: string): string =>
  value
    .replace(JWT_SHAPED, REDACTED)
    .replace(AWS_ACCESS_KEY, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(AWS_SIGNATURE, `$1=${REDACTED}`)
    .replace(JSON_STRING_PAIR, (pair, key: string, colon: string) =>
      isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : pair,
    )
    .replace(KEY_VALUE_PAIR, (pair, start: string, key: string) =>
      isSecretKey(key) ? `${start}${key}=${REDACTED}` : pair,
    );

/**
 * A `JSON.stringify` replacer that masks secrets at any depth: values under secret-looking keys
 * (authorization, password, secretAccessKey, sessionToken, accessKeyId, *token, credentials …)
 * and secret-shaped strings anywhere.
 *
 * @example JSON.stringify(event, redactingReplacer)
 */
export const redactingReplacer = (key: string, value: unknown): unknown => {
  if (key !== '' && isSecretKey(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  return value;
};

/**
 * Deep copy of `value` with every secret masked (see {@link redactingReplacer}).
 * @example logger.info('event', { event: redact(event) })
 */
export const redact = <T>(value: T): unknown => {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, redactingReplacer));
};

/**
 * A Powertools Logger whose output is always redacted: whatever is logged, at any depth, passes
 * through {@link redactingReplacer} before it is written.
 *
 * @example
 * export const logger = createLogger({ serviceName: 'chat-api' });
 * logger.info('credentials', { credentials }); // {"credentials":"[REDACTED]",…}
 */
export const createLogger = (options: ConstructorParameters<typeof Logger>[0] = {}): Logger =>
  new Logger({ ...options, jsonReplacerFn: redactingReplacer });

/** The log keys that carry the tenant context. */
export const TENANT_LOG_KEYS = ['tenant_id', 'user_id'] as const;

/**
 * Appends the tenant context to every log line of the invocation (`tenant_id`, `user_id`) and
 * annotates the invocation's X-Ray trace with the same keys (lambda-kit's `annotateTrace`).
 */
export const appendTenantKeys = (logger: Logger, tenant: { tenantId: string; userId?: string }): void => {
  annotateTrace({ tenantId: tenant.tenantId, ...(tenant.userId ? { userId: tenant.userId } : {}) });
  logger.appendKeys({ tenant_id: tenant.tenantId, ...(tenant.userId ? { user_id: tenant.userId } : {}) });
};

/** Removes the tenant context from the logger (after every invocation, error or not). */
export const removeTenantKeys = (logger: Logger): void => logger.removeKeys([...TENANT_LOG_KEYS]);

/**
 * A middy middleware from its `before`, which puts a tenant's keys on the logger: its `after` and
 * `onError` remove them again, so that no later invocation of a warm container logs under this
 * tenant. They are named after `before` (`xBefore` → `xAfter`, `xOnError`): middy reports timings
 * by function name.
 * @example return tenantKeysMiddleware(logger, httpTenantContextBefore);
 */
export const tenantKeysMiddleware = <E>(
  logger: Logger,
  before: NonNullable<MiddlewareObj<E>['before']>,
): MiddlewareObj<E> => {
  const middlewareName = before.name.replace(/Before$/, '');
  const removingTenantKeys = (step: 'After' | 'OnError') =>
    Object.defineProperty(async () => removeTenantKeys(logger), 'name', {
      value: `${middlewareName}${step}`,
    });
  return { before, after: removingTenantKeys('After'), onError: removingTenantKeys('OnError') };
};

export { Logger };
