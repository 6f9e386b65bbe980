/** Shown as the account's issuer in authenticator apps. */
export const TOTP_ISSUER = 'Tenant Assistant';

/** True for a 6-digit one-time code (spaces ignored). */
export const isTotpCode = (value: string): boolean => /^\d{6}$/.test(value.replace(/\s+/g, ''));

/** A code without the spaces people type to group digits. */
export const normaliseTotpCode = (value: string): string => value.replace(/\s+/g, '');

/**
 * The `otpauth://` URI an authenticator app reads from the QR code (Key Uri Format: SHA1, 6 digits, 30 s,
 * as Cognito's software tokens use).
 * @example otpauthUri({ secret: 'JBSWY3DPEHPK3PXP', account: 'tenant1-user' })
 */
export const otpauthUri = (input: { secret: string; account: string; issuer?: string }): string => {
  const issuer = input.issuer ?? TOTP_ISSUER;
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(input.account)}`;
  const query = new URLSearchParams({
    secret: input.secret.replace(/\s+/g, '').toUpperCase(),
    issuer,
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
};

/** The secret in groups of four, easier to type by hand. */
export const groupSecret = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');
