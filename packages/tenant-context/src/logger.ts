import { Logger } from '@aws-lambda-powertools/logger';

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

/** True when a property of this name holds a secret whatever its value. */
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

/** Masks secrets inside a string: JWT-shaped values, AWS access key ids, Bearer values, SigV4 parts. */
export const redactString = (value: string): string =>
  value
    .replace(JWT_SHAPED, REDACTED)
    .replace(AWS_ACCESS_KEY, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(AWS_SIGNATURE, `$1=${REDACTED}`);

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

export { Logger };
