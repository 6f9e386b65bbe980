/**
 * The small port the app needs from Cognito. The real adapter (cognito-adapter.ts) wraps
 * amazon-cognito-identity-js; tests pass a fake.
 */
export interface CognitoTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** What happens next after a sign-in step. */
export type SignInStep =
  | { readonly step: 'DONE'; readonly tokens: CognitoTokens }
  /** First sign-in with a temporary password: a new password must be set. */
  | { readonly step: 'NEW_PASSWORD_REQUIRED' }
  /** The user has TOTP MFA: a code from the authenticator app is needed. */
  | { readonly step: 'TOTP_REQUIRED' }
  /** The pool requires MFA and the user has none yet: enrol TOTP now (AWS only; cognito-local never asks). */
  | { readonly step: 'MFA_SETUP_REQUIRED' }
  /** A challenge this app does not handle (SMS, custom auth, …). */
  | { readonly step: 'UNSUPPORTED'; readonly challenge: string };

/** An error as the Cognito API reports it (`code` is the exception name). */
export interface CognitoFailure {
  readonly code?: string;
  readonly name?: string;
  readonly message?: string;
}

export interface CognitoPort {
  /** The tokens kept from an earlier sign-in in this tab, if any. */
  restore(): Promise<CognitoTokens | undefined>;
  /** Starts a sign-in with username and password (SRP or USER_PASSWORD_AUTH per config). */
  signIn(username: string, password: string): Promise<SignInStep>;
  /** Answers NEW_PASSWORD_REQUIRED. */
  completeNewPassword(newPassword: string): Promise<SignInStep>;
  /** Answers SOFTWARE_TOKEN_MFA with a 6-digit code. */
  sendTotpCode(code: string): Promise<SignInStep>;
  /** New tokens from the refresh token. */
  refresh(refreshToken: string): Promise<CognitoTokens>;
  /** Starts TOTP enrolment (signed in, or during MFA_SETUP); returns the shared secret (base32). */
  associateTotp(): Promise<string>;
  /** Verifies the first code of a new TOTP secret; during MFA_SETUP this completes the sign-in. */
  verifyTotp(code: string, deviceName: string): Promise<CognitoTokens | undefined>;
  /** Makes TOTP the user's (preferred) MFA. */
  enableTotpMfa(): Promise<void>;
  /** Revokes every refresh token of the user (Cognito GlobalSignOut). */
  globalSignOut(): Promise<void>;
  /** Forgets the tokens kept in this tab. */
  clearLocalSession(): void;
}
