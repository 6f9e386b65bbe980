import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import type { AppConfig } from '../config';
import type { CognitoPort, CognitoTokens, SignInStep } from './cognito-port';

const tokensOf = (session: CognitoUserSession): CognitoTokens => ({
  idToken: session.getIdToken().getJwtToken(),
  accessToken: session.getAccessToken().getJwtToken(),
  refreshToken: session.getRefreshToken().getToken(),
});

/** Turns the library's callback object into a promise of the next sign-in step. */
const stepCallbacks = (
  resolve: (step: SignInStep) => void,
  reject: (error: unknown) => void,
): IAuthenticationCallback => ({
  onSuccess: (session) => resolve({ step: 'DONE', tokens: tokensOf(session) }),
  onFailure: reject,
  newPasswordRequired: () => resolve({ step: 'NEW_PASSWORD_REQUIRED' }),
  totpRequired: () => resolve({ step: 'TOTP_REQUIRED' }),
  mfaSetup: () => resolve({ step: 'MFA_SETUP_REQUIRED' }),
  mfaRequired: (challenge) => resolve({ step: 'UNSUPPORTED', challenge: String(challenge) }),
  selectMFAType: (challenge) => resolve({ step: 'UNSUPPORTED', challenge: String(challenge) }),
  customChallenge: () => resolve({ step: 'UNSUPPORTED', challenge: 'CUSTOM_CHALLENGE' }),
});

/**
 * The Cognito port over amazon-cognito-identity-js. Tokens are kept in `storage` (the app passes
 * `sessionStorage`: they last as long as the tab, not forever). `cognitoEndpoint` points the library
 * at cognito-local; `authFlow` USER_PASSWORD_AUTH is used there because the emulator has no SRP.
 */
export const createCognitoAdapter = (
  config: Pick<AppConfig, 'userPoolId' | 'userPoolClientId' | 'cognitoEndpoint' | 'authFlow'>,
  storage: ICognitoStorage,
): CognitoPort => {
  const pool = new CognitoUserPool({
    UserPoolId: config.userPoolId,
    ClientId: config.userPoolClientId,
    Storage: storage,
    ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
  });
  let user: CognitoUser | undefined;

  const requireUser = (): CognitoUser => {
    if (!user) throw Object.assign(new Error('No sign-in in progress'), { code: 'NotAuthorizedException' });
    return user;
  };

  return {
    restore: () =>
      new Promise((resolve) => {
        const current = pool.getCurrentUser();
        if (!current) return resolve(undefined);
        current.getSession((error: Error | null, session: CognitoUserSession | null) => {
          if (error || !session) return resolve(undefined);
          user = current;
          resolve(tokensOf(session));
        });
      }),

    signIn: (username, password) =>
      new Promise((resolve, reject) => {
        user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
        user.setAuthenticationFlowType(config.authFlow);
        user.authenticateUser(
          new AuthenticationDetails({ Username: username, Password: password }),
          stepCallbacks(resolve, reject),
        );
      }),

    completeNewPassword: (newPassword) =>
      new Promise((resolve, reject) => {
        requireUser().completeNewPasswordChallenge(newPassword, {}, stepCallbacks(resolve, reject));
      }),

    sendTotpCode: (code) =>
      new Promise((resolve, reject) => {
        requireUser().sendMFACode(
          code,
          {
            onSuccess: (session) => resolve({ step: 'DONE', tokens: tokensOf(session) }),
            onFailure: reject,
          },
          'SOFTWARE_TOKEN_MFA',
        );
      }),

    refresh: (refreshToken) =>
      new Promise((resolve, reject) => {
        requireUser().refreshSession(
          new CognitoRefreshToken({ RefreshToken: refreshToken }),
          (error: unknown, session: CognitoUserSession | null) => {
            if (error || !session) return reject(error ?? new Error('No session'));
            resolve(tokensOf(session));
          },
        );
      }),

    associateTotp: () =>
      new Promise((resolve, reject) => {
        requireUser().associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject });
      }),

    verifyTotp: (code, deviceName) =>
      new Promise((resolve, reject) => {
        const current = requireUser();
        const signedIn = current.getSignInUserSession()?.isValid() ?? false;
        current.verifySoftwareToken(code, deviceName, {
          // During MFA_SETUP the library completes the sign-in and hands over a session.
          onSuccess: (session) => resolve(signedIn ? undefined : tokensOf(session)),
          onFailure: reject,
        });
      }),

    enableTotpMfa: () =>
      new Promise((resolve, reject) => {
        requireUser().setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (error) =>
          error ? reject(error) : resolve(),
        );
      }),

    globalSignOut: () =>
      new Promise((resolve, reject) => {
        requireUser().globalSignOut({ onSuccess: () => resolve(), onFailure: reject });
      }),

    clearLocalSession: () => {
      user?.signOut();
      pool.getCurrentUser()?.signOut();
      user = undefined;
    },
  };
};
