import { createHash, randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Random `[A-Z2-7]` string (the alphabet of AWS access key ids). */
export const randomUpperId = (length: number): string => {
  const bytes = randomBytes(length);
  let result = '';
  for (const byte of bytes) result += UPPER_ALNUM[byte % UPPER_ALNUM.length];
  return result;
};

/** Deterministic `[A-Z2-7]` id derived from a value (stable role ids across restarts). */
export const derivedUpperId = (value: string, length: number): string => {
  const digest = createHash('sha256').update(value).digest();
  let result = '';
  for (let i = 0; i < length; i += 1) result += UPPER_ALNUM[(digest[i % digest.length] as number) % 32];
  return result;
};

export const randomSecret = (bytes: number): string => randomBytes(bytes).toString('base64');

export const requestId = (): string => randomUUID();

export const escapeXml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
