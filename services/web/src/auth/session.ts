import { SessionExpiredError, WebError } from '../errors';
import { authErrorFrom } from './auth-errors';
import { type SignedInUser, tokenExpiresAt, userFromIdToken } from './claims';
import type { CognitoPort, CognitoTokens, SignInStep } from './cognito-port';
import { isTotpCode, normaliseTotpCode, otpauthUri } from './totp';

/** Where the user is in signing in. `error` is the sentence to show for the last failed step. */
export type AuthState =
  | { readonly status: 'starting' }
  | { readonly status: 'signedOut'; readonly notice?: string; readonly error?: string }
  | { readonly status: 'newPasswordRequired'; readonly username: string; readonly error?: string }
  | { readonly status: 'totpRequired'; readonly username: string; readonly error?: string }
  | {
      readonly status: 'mfaSetupRequired';
      readonly username: string;
      readonly secret?: string;
      readonly otpauthUri?: string;
      readonly error?: string;
    }
  | { readonly status: 'signedIn'; readonly user: SignedInUser };

/** A TOTP secret being enrolled by a signed-in user. */
export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUri: string;
}

export interface AuthSessionDeps {
  readonly cognito: CognitoPort;
  /** Epoch milliseconds. */
  readonly now?: () => number;
  /** Refresh the ID token when it expires within this many ms (default 2 minutes). */
  readonly refreshMarginMs?: number;
}

export const MIN_PASSWORD_LENGTH = 8;
const NO_TENANT = 'Your account is not assigned to a tenant. Contact your administrator.';
const EXPIRED = 'Your session has expired. Please sign in again.';

/**
 * The sign-in state machine over the Cognito port: username/password, forced new password, TOTP
 * challenge, MFA set-up at sign-in, TOTP enrolment when signed in, refresh and sign-out. Actions never
 * throw for a refused step: they record the sentence to show in the state. React reads it through
 * `subscribe`/`getState` (useSyncExternalStore).
 */
export class AuthSession {
  #state: AuthState = { status: 'starting' };
  #tokens: CognitoTokens | undefined;
  #refreshing: Promise<CognitoTokens> | undefined;
  #started = false;
  readonly #listeners = new Set<() => void>();
  readonly #cognito: CognitoPort;
  readonly #now: () => number;
  readonly #refreshMarginMs: number;

  constructor(deps: AuthSessionDeps) {
    this.#cognito = deps.cognito;
    this.#now = deps.now ?? Date.now;
    this.#refreshMarginMs = deps.refreshMarginMs ?? 120_000;
  }

  getState = (): AuthState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Restores the session kept in this tab, if any (refreshing it when needed). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    let tokens: CognitoTokens | undefined;
    try {
      tokens = await this.#cognito.restore();
    } catch {
      tokens = undefined;
    }
    if (tokens) this.#signedIn(tokens);
    else this.#set({ status: 'signedOut' });
  }

  async signIn(username: string, password: string): Promise<void> {
    const name = username.trim();
    if (!name || !password) {
      this.#set({ status: 'signedOut', error: 'Enter your username and password.' });
      return;
    }
    await this.#step('signIn', name, () => this.#cognito.signIn(name, password));
  }

  async completeNewPassword(newPassword: string, confirmation: string): Promise<void> {
    const state = this.#state;
    if (state.status !== 'newPasswordRequired') return;
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      this.#set({ ...state, error: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` });
      return;
    }
    if (newPassword !== confirmation) {
      this.#set({ ...state, error: 'The two passwords do not match.' });
      return;
    }
    await this.#step('newPassword', state.username, () => this.#cognito.completeNewPassword(newPassword));
  }

  async submitTotp(code: string): Promise<void> {
    const state = this.#state;
    if (state.status !== 'totpRequired' || !this.#acceptsCode(state, code)) return;
    await this.#step('totp', state.username, () => this.#cognito.sendTotpCode(normaliseTotpCode(code)));
  }

  /** MFA_SETUP at sign-in: fetches the secret to show as a QR code. */
  async beginMfaSetup(): Promise<void> {
    const state = this.#state;
    if (state.status !== 'mfaSetupRequired') return;
    try {
      const secret = await this.#cognito.associateTotp();
      this.#set({
        ...state,
        secret,
        otpauthUri: otpauthUri({ secret, account: state.username }),
        error: undefined,
      });
    } catch (error) {
      this.#set({ ...state, error: authErrorFrom(error, 'totpSetup').userMessage });
    }
  }

  /** MFA_SETUP at sign-in: verifies the first code, which completes the sign-in. */
  async confirmMfaSetup(code: string): Promise<void> {
    const state = this.#state;
    if (state.status !== 'mfaSetupRequired' || !this.#acceptsCode(state, code)) return;
    try {
      const tokens = await this.#cognito.verifyTotp(normaliseTotpCode(code), 'Authenticator app');
      if (!tokens) throw new WebError('MFA set-up did not complete the sign-in', { code: 'MFA_SETUP' });
      await this.#cognito.enableTotpMfa().catch(() => undefined); // the pool already requires MFA
      this.#signedIn(tokens);
    } catch (error) {
      this.#set({ ...state, error: authErrorFrom(error, 'totpSetup').userMessage });
    }
  }

  /** Abandons a sign-in in progress. */
  cancel(): void {
    this.#cognito.clearLocalSession();
    this.#tokens = undefined;
    this.#set({ status: 'signedOut' });
  }

  /** Signs out everywhere when possible (best effort), and always in this tab. */
  async signOut(): Promise<void> {
    if (this.#tokens) await this.#cognito.globalSignOut().catch(() => undefined);
    this.#cognito.clearLocalSession();
    this.#tokens = undefined;
    this.#set({ status: 'signedOut', notice: 'You have signed out.' });
  }

  /** The API refused the token (401): the user must sign in again. */
  expire(): void {
    if (this.#state.status !== 'signedIn') return;
    this.#cognito.clearLocalSession();
    this.#tokens = undefined;
    this.#set({ status: 'signedOut', notice: EXPIRED });
  }

  /**
   * A valid ID token for the API and the WebSocket, refreshed first when it expires within the
   * margin (one refresh at a time). Throws SessionExpiredError when the user must sign in again.
   */
  async getIdToken(): Promise<string> {
    const tokens = this.#tokens;
    if (!tokens || this.#state.status !== 'signedIn') throw new SessionExpiredError();
    if (tokenExpiresAt(tokens.idToken) - this.#now() > this.#refreshMarginMs) return tokens.idToken;
    return (await this.#refresh()).idToken;
  }

  /** Starts TOTP enrolment for the signed-in user: the secret and the URI for the QR code. */
  async startTotpEnrolment(): Promise<TotpEnrolment> {
    const state = this.#state;
    if (state.status !== 'signedIn') throw new SessionExpiredError();
    await this.getIdToken(); // the calls below need a valid access token
    try {
      const secret = await this.#cognito.associateTotp();
      return { secret, otpauthUri: otpauthUri({ secret, account: state.user.username }) };
    } catch (error) {
      throw authErrorFrom(error, 'totpSetup');
    }
  }

  /** Verifies the first code of the new secret and makes TOTP the user's MFA. Throws AuthError. */
  async confirmTotpEnrolment(code: string): Promise<void> {
    if (this.#state.status !== 'signedIn') throw new SessionExpiredError();
    if (!isTotpCode(code)) {
      throw authErrorFrom({ code: 'CodeMismatchException' }, 'totpSetup');
    }
    await this.getIdToken();
    try {
      await this.#cognito.verifyTotp(normaliseTotpCode(code), 'Authenticator app');
      await this.#cognito.enableTotpMfa();
    } catch (error) {
      throw authErrorFrom(error, 'totpSetup');
    }
  }

  async #refresh(): Promise<CognitoTokens> {
    const current = this.#tokens;
    if (!current) throw new SessionExpiredError();
    this.#refreshing ??= this.#cognito.refresh(current.refreshToken).finally(() => {
      this.#refreshing = undefined;
    });
    try {
      const tokens = await this.#refreshing;
      this.#tokens = { ...tokens, refreshToken: tokens.refreshToken || current.refreshToken };
      return this.#tokens;
    } catch (error) {
      const stillValid = tokenExpiresAt(current.idToken) > this.#now();
      const refused = authErrorFrom(error, 'refresh').code === 'NotAuthorizedException';
      if (stillValid && !refused) return current; // offline for a moment: keep using the valid token
      this.expire();
      throw new SessionExpiredError(error);
    }
  }

  async #step(step: 'signIn' | 'newPassword' | 'totp', username: string, call: () => Promise<SignInStep>) {
    const before = this.#state;
    try {
      const next = await call();
      switch (next.step) {
        case 'DONE':
          return this.#signedIn(next.tokens);
        case 'NEW_PASSWORD_REQUIRED':
          return this.#set({ status: 'newPasswordRequired', username });
        case 'TOTP_REQUIRED':
          return this.#set({ status: 'totpRequired', username });
        case 'MFA_SETUP_REQUIRED':
          return this.#set({ status: 'mfaSetupRequired', username });
        case 'UNSUPPORTED':
          this.#cognito.clearLocalSession();
          return this.#set({
            status: 'signedOut',
            error: `This account needs a sign-in step the app does not support (${next.challenge}).`,
          });
      }
    } catch (error) {
      const failure = authErrorFrom(error, step);
      // An expired challenge session cannot be retried: start over.
      if (step !== 'signIn' && failure.code === 'NotAuthorizedException') {
        this.#cognito.clearLocalSession();
        return this.#set({ status: 'signedOut', error: failure.userMessage });
      }
      if (before.status === 'signedOut' || before.status === 'starting') {
        return this.#set({ status: 'signedOut', error: failure.userMessage });
      }
      return this.#set({ ...before, error: failure.userMessage } as AuthState);
    }
  }

  #signedIn(tokens: CognitoTokens): void {
    const user = userFromIdToken(tokens.idToken);
    if (!user) {
      this.#cognito.clearLocalSession();
      this.#tokens = undefined;
      this.#set({ status: 'signedOut', error: NO_TENANT });
      return;
    }
    this.#tokens = tokens;
    this.#set({ status: 'signedIn', user });
  }

  /** True for a 6-digit code; anything else stays on the challenge with the hint (Cognito is not asked). */
  #acceptsCode(
    state: Extract<AuthState, { status: 'totpRequired' | 'mfaSetupRequired' }>,
    code: string,
  ): boolean {
    if (isTotpCode(code)) return true;
    this.#set({ ...state, error: 'Enter the 6-digit code from your authenticator app.' });
    return false;
  }

  #set(state: AuthState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}
