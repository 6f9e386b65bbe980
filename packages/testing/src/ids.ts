import { randomBytes, randomUUID } from 'node:crypto';

const alphanumeric = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random Cognito-style user id (`sub`): a UUID v4.
 * @example const userId = randomUserId(); // '5f0c…-…'
 */
export const randomUserId = (): string => randomUUID();

/**
 * A random tenant id that satisfies the tenantId pattern: `tenant-` followed by 8 lowercase letters or digits.
 * @example const tenantId = randomTenantId(); // 'tenant-k3x9q0ab'
 */
export const randomTenantId = (): string => {
  const suffix = Array.from(randomBytes(8), (byte) => alphanumeric[byte % alphanumeric.length]).join('');
  return `tenant-${suffix}`;
};
