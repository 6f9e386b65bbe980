import { randomInt as cryptoRandomInt } from 'node:crypto';
import type { PasswordPolicy } from '../config';

const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const NUMBERS = '0123456789';
/** A subset of Cognito's accepted special characters that needs no quoting in a shell or JSON. */
const SYMBOLS = '!#%*+-.:=?@^_~';

/** Shortest temporary password generated, whatever the policy's minimum (~100 bits of entropy). */
export const MIN_GENERATED_LENGTH = 16;
/** Longest password Cognito accepts. */
export const MAX_PASSWORD_LENGTH = 99;

/** A uniform random integer in [0, max): `node:crypto`'s `randomInt` by default. */
export type RandomInt = (max: number) => number;

/**
 * A temporary password that satisfies `policy`: at least `max(policy.minimumLength, 16)` characters
 * and always at least one uppercase letter, lowercase letter, digit and symbol (extra classes never
 * violate a Cognito policy), drawn with a cryptographically secure, unbiased generator and shuffled.
 *
 * @example generateTemporaryPassword(policy) // 'q7T:h^Xe2@wK9mZ_'
 */
export const generateTemporaryPassword = (
  policy: Pick<PasswordPolicy, 'minimumLength'>,
  randomInt: RandomInt = cryptoRandomInt,
): string => {
  const length = Math.min(MAX_PASSWORD_LENGTH, Math.max(policy.minimumLength, MIN_GENERATED_LENGTH));
  const pick = (alphabet: string): string => alphabet.charAt(randomInt(alphabet.length));
  const all = UPPERCASE + LOWERCASE + NUMBERS + SYMBOLS;
  const characters = [pick(UPPERCASE), pick(LOWERCASE), pick(NUMBERS), pick(SYMBOLS)];
  while (characters.length < length) characters.push(pick(all));
  for (let i = characters.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j] as string, characters[i] as string];
  }
  return characters.join('');
};
