import { passwordPolicy as policy } from '../../test/support';
import type { PasswordPolicy } from '../config';
import { generateTemporaryPassword, MAX_PASSWORD_LENGTH, MIN_GENERATED_LENGTH } from './password';

/** Cognito's special characters (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html). */
const COGNITO_SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';

/** An independent check of a password against a Cognito password policy. */
const satisfies = (password: string, policy: PasswordPolicy): boolean =>
  password.length >= policy.minimumLength &&
  password.length <= MAX_PASSWORD_LENGTH &&
  (!policy.requireUppercase || /[A-Z]/.test(password)) &&
  (!policy.requireLowercase || /[a-z]/.test(password)) &&
  (!policy.requireNumbers || /[0-9]/.test(password)) &&
  (!policy.requireSymbols || [...password].some((c) => COGNITO_SYMBOLS.includes(c))) &&
  [...password].every((c) => /[A-Za-z0-9]/.test(c) || COGNITO_SYMBOLS.includes(c));

describe('generateTemporaryPassword', () => {
  it.each([
    ['the default policy (12, all classes)', policy()],
    ['a 6-character minimum', policy({ minimumLength: 6 })],
    ['a 40-character minimum', policy({ minimumLength: 40 })],
    ['the longest minimum (99)', policy({ minimumLength: 99 })],
    ['a policy without symbols', policy({ requireSymbols: false })],
  ])('satisfies %s on 2,000 draws', (_, given) => {
    // Prepare
    const draws = Array.from({ length: 2000 }, () => generateTemporaryPassword(given));

    // Act
    const failures = draws.filter((password) => !satisfies(password, given));

    // Assess
    expect(failures).toEqual([]);
  });

  it('is at least 16 characters long even when the policy asks for fewer', () => {
    // Act / Assess
    expect(generateTemporaryPassword(policy({ minimumLength: 8 }))).toHaveLength(MIN_GENERATED_LENGTH);
  });

  it('is exactly the minimum length when the policy asks for more than 16', () => {
    // Act / Assess
    expect(generateTemporaryPassword(policy({ minimumLength: 31 }))).toHaveLength(31);
  });

  it('never repeats itself', () => {
    // Act
    const draws = new Set(Array.from({ length: 1000 }, () => generateTemporaryPassword(policy())));

    // Assess
    expect(draws.size).toBe(1000);
  });

  it('includes every character class even when the random source always picks the first option', () => {
    // Act
    const password = generateTemporaryPassword(policy(), () => 0);

    // Assess
    expect(satisfies(password, policy())).toBe(true);
  });

  it('uses characters that need no quoting in a shell or JSON', () => {
    // Act
    const characters = new Set(
      Array.from({ length: 500 }, () => generateTemporaryPassword(policy())).join(''),
    );

    // Assess
    for (const unsafe of ['"', "'", '\\', '`', '$', ' ', '&', '|', ';', '<', '>']) {
      expect(characters.has(unsafe)).toBe(false);
    }
  });
});
