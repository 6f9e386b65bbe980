import { SessionExpiredError } from '../errors';
import { fakeCognito, fakeTokens, USER_SUB } from '../testing/fakes';
import { AuthSession } from './session';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const nowSeconds = NOW / 1000;

const setup = () => {
  const cognito = fakeCognito();
  const session = new AuthSession({ cognito: cognito.port, now: () => NOW, refreshMarginMs: 120_000 });
  return { cognito, session };
};

const signedIn = async (tokens = fakeTokens({ expSeconds: nowSeconds + 3600 })) => {
  const context = setup();
  context.cognito.next('signIn', { step: 'DONE', tokens });
  await context.session.signIn('tenant1-user', 'Passw0rd!');
  return context;
};

describe('AuthSession', () => {
  describe('start', () => {
    it('restores a session kept in the tab', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.next('restore', fakeTokens());
      // Act
      await session.start();
      // Assess
      expect(session.getState()).toEqual({
        status: 'signedIn',
        user: { username: 'tenant1-user', sub: USER_SUB, tenantId: 'tenant1' },
      });
    });

    it('shows the sign-in form when there is no session', async () => {
      const { cognito, session } = setup();
      cognito.next('restore', undefined);
      await session.start();
      expect(session.getState()).toEqual({ status: 'signedOut' });
    });

    it('shows the sign-in form when restoring fails', async () => {
      const { cognito, session } = setup();
      cognito.fail('restore', { code: 'NotAuthorizedException' });
      await session.start();
      expect(session.getState().status).toBe('signedOut');
    });
  });

  describe('signIn', () => {
    it('signs in with username and password and reads user and tenant from the ID token', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.next('signIn', {
        step: 'DONE',
        tokens: fakeTokens({ username: 'tenant2-user', tenantId: 'tenant2' }),
      });
      const seen: string[] = [];
      session.subscribe(() => seen.push(session.getState().status));
      // Act
      await session.signIn('  tenant2-user ', 'Passw0rd!');
      // Assess
      expect(cognito.called('signIn')[0]?.args).toEqual(['tenant2-user', 'Passw0rd!']);
      expect(session.getState()).toEqual({
        status: 'signedIn',
        user: { username: 'tenant2-user', sub: USER_SUB, tenantId: 'tenant2' },
      });
      expect(seen).toEqual(['signedIn']);
    });

    it('refuses empty credentials without calling Cognito', async () => {
      const { cognito, session } = setup();
      await session.signIn(' ', '');
      expect(session.getState()).toEqual({ status: 'signedOut', error: 'Enter your username and password.' });
      expect(cognito.calls).toEqual([]);
    });

    it('says "incorrect username or password" for an unknown user and a wrong password alike', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.fail('signIn', { code: 'UserNotFoundException', message: 'User does not exist.' });
      cognito.fail('signIn', { code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      // Act
      await session.signIn('nobody', 'x');
      const unknown = session.getState();
      await session.signIn('tenant1-user', 'wrong');
      const wrong = session.getState();
      // Assess
      expect(unknown).toEqual({ status: 'signedOut', error: 'Incorrect username or password.' });
      expect(wrong).toEqual(unknown);
    });

    it('refuses a session whose ID token carries no tenant and forgets it', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.next('signIn', { step: 'DONE', tokens: fakeTokens({ tenantId: null }) });
      // Act
      await session.signIn('orphan', 'Passw0rd!');
      // Assess
      expect(session.getState()).toEqual({
        status: 'signedOut',
        error: 'Your account is not assigned to a tenant. Contact your administrator.',
      });
      expect(cognito.called('clearLocalSession')).toHaveLength(1);
      await expect(session.getIdToken()).rejects.toBeInstanceOf(SessionExpiredError);
    });

    it('refuses a tenant id that is not a valid tenant id', async () => {
      const { cognito, session } = setup();
      cognito.next('signIn', { step: 'DONE', tokens: fakeTokens({ tenantId: '*' }) });
      await session.signIn('tenant1-user', 'Passw0rd!');
      expect(session.getState().status).toBe('signedOut');
    });

    it('shows the pre-token-generation refusal reason', async () => {
      const { cognito, session } = setup();
      cognito.fail('signIn', {
        code: 'UserLambdaValidationException',
        message: 'PreTokenGeneration failed with error User has no tenant.',
      });
      await session.signIn('orphan', 'Passw0rd!');
      expect(session.getState()).toEqual({
        status: 'signedOut',
        error: 'Sign-in was refused: User has no tenant.',
      });
    });

    it('refuses challenges the app does not support', async () => {
      const { cognito, session } = setup();
      cognito.next('signIn', { step: 'UNSUPPORTED', challenge: 'SMS_MFA' });
      await session.signIn('tenant1-user', 'Passw0rd!');
      expect(session.getState()).toEqual({
        status: 'signedOut',
        error: 'This account needs a sign-in step the app does not support (SMS_MFA).',
      });
    });
  });

  describe('completeNewPassword', () => {
    const atNewPassword = async () => {
      const context = setup();
      context.cognito.next('signIn', { step: 'NEW_PASSWORD_REQUIRED' });
      await context.session.signIn('tenant1-user', 'Temp0rary!');
      return context;
    };

    it('asks for a new password at first sign-in, then signs in with it', async () => {
      // Prepare
      const { cognito, session } = await atNewPassword();
      expect(session.getState()).toEqual({ status: 'newPasswordRequired', username: 'tenant1-user' });
      cognito.next('completeNewPassword', { step: 'DONE', tokens: fakeTokens() });
      // Act
      await session.completeNewPassword('N3w-Passw0rd!', 'N3w-Passw0rd!');
      // Assess
      expect(cognito.called('completeNewPassword')[0]?.args).toEqual(['N3w-Passw0rd!']);
      expect(session.getState().status).toBe('signedIn');
    });

    it('refuses mismatched and short passwords without calling Cognito', async () => {
      // Prepare
      const { cognito, session } = await atNewPassword();
      // Act
      await session.completeNewPassword('N3w-Passw0rd!', 'N3w-Passw0rd?');
      const mismatch = session.getState();
      await session.completeNewPassword('short', 'short');
      const short = session.getState();
      // Assess
      expect(mismatch).toEqual({
        status: 'newPasswordRequired',
        username: 'tenant1-user',
        error: 'The two passwords do not match.',
      });
      expect(short).toMatchObject({ error: 'Choose a password of at least 8 characters.' });
      expect(cognito.called('completeNewPassword')).toHaveLength(0);
    });

    it("shows Cognito's password-policy reason and stays on the step", async () => {
      const { cognito, session } = await atNewPassword();
      cognito.fail('completeNewPassword', {
        code: 'InvalidPasswordException',
        message: 'Password does not conform to policy: Password must have symbol characters',
      });
      await session.completeNewPassword('Passw0rdxx', 'Passw0rdxx');
      expect(session.getState()).toEqual({
        status: 'newPasswordRequired',
        username: 'tenant1-user',
        error: 'The new password does not meet the password policy: Password must have symbol characters',
      });
    });

    it('starts over when the challenge session has expired', async () => {
      const { cognito, session } = await atNewPassword();
      cognito.fail('completeNewPassword', { code: 'NotAuthorizedException', message: 'Invalid session' });
      await session.completeNewPassword('N3w-Passw0rd!', 'N3w-Passw0rd!');
      expect(session.getState()).toEqual({
        status: 'signedOut',
        error: 'This sign-in has expired. Please start again.',
      });
    });

    it('may lead to the TOTP challenge', async () => {
      const { cognito, session } = await atNewPassword();
      cognito.next('completeNewPassword', { step: 'TOTP_REQUIRED' });
      await session.completeNewPassword('N3w-Passw0rd!', 'N3w-Passw0rd!');
      expect(session.getState()).toEqual({ status: 'totpRequired', username: 'tenant1-user' });
    });
  });

  describe('submitTotp', () => {
    const atTotp = async () => {
      const context = setup();
      context.cognito.next('signIn', { step: 'TOTP_REQUIRED' });
      await context.session.signIn('tenant1-user', 'Passw0rd!');
      return context;
    };

    it('signs in with the code from the authenticator app', async () => {
      const { cognito, session } = await atTotp();
      cognito.next('sendTotpCode', { step: 'DONE', tokens: fakeTokens() });
      await session.submitTotp('123 456');
      expect(cognito.called('sendTotpCode')[0]?.args).toEqual(['123456']);
      expect(session.getState().status).toBe('signedIn');
    });

    it('refuses a code that is not 6 digits without calling Cognito', async () => {
      const { cognito, session } = await atTotp();
      await session.submitTotp('12345a');
      expect(session.getState()).toMatchObject({
        status: 'totpRequired',
        error: 'Enter the 6-digit code from your authenticator app.',
      });
      expect(cognito.called('sendTotpCode')).toHaveLength(0);
    });

    it('stays on the challenge after a wrong code', async () => {
      const { cognito, session } = await atTotp();
      cognito.fail('sendTotpCode', { code: 'CodeMismatchException' });
      await session.submitTotp('000000');
      expect(session.getState()).toEqual({
        status: 'totpRequired',
        username: 'tenant1-user',
        error: 'That code is not right. Check your authenticator app and try again.',
      });
    });

    it('starts over after too many wrong codes', async () => {
      const { cognito, session } = await atTotp();
      cognito.fail('sendTotpCode', {
        code: 'NotAuthorizedException',
        message: 'Invalid session for the user.',
      });
      await session.submitTotp('000000');
      expect(session.getState().status).toBe('signedOut');
    });
  });

  describe('MFA set-up at sign-in', () => {
    it('shows the secret, verifies the first code and signs in', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.next('signIn', { step: 'MFA_SETUP_REQUIRED' });
      cognito.next('associateTotp', 'JBSWY3DPEHPK3PXP');
      cognito.next('verifyTotp', fakeTokens());
      // Act
      await session.signIn('tenant1-user', 'Passw0rd!');
      await session.beginMfaSetup();
      const withSecret = session.getState();
      await session.confirmMfaSetup('123456');
      // Assess
      expect(withSecret).toMatchObject({
        status: 'mfaSetupRequired',
        secret: 'JBSWY3DPEHPK3PXP',
        otpauthUri: expect.stringContaining('secret=JBSWY3DPEHPK3PXP'),
      });
      expect(cognito.called('enableTotpMfa')).toHaveLength(1);
      expect(session.getState().status).toBe('signedIn');
    });

    it('stays on the step after a wrong first code', async () => {
      const { cognito, session } = setup();
      cognito.next('signIn', { step: 'MFA_SETUP_REQUIRED' });
      cognito.fail('verifyTotp', { code: 'EnableSoftwareTokenMFAException' });
      await session.signIn('tenant1-user', 'Passw0rd!');
      await session.confirmMfaSetup('111111');
      expect(session.getState()).toMatchObject({
        status: 'mfaSetupRequired',
        error: 'That code is not right. Check your authenticator app and try again.',
      });
    });
  });

  describe('TOTP enrolment when signed in', () => {
    it('returns the secret and QR URI, then verifies and makes TOTP the preferred MFA', async () => {
      // Prepare
      const { cognito, session } = await signedIn();
      cognito.next('associateTotp', 'JBSWY3DPEHPK3PXP');
      // Act
      const enrolment = await session.startTotpEnrolment();
      await session.confirmTotpEnrolment('654321');
      // Assess
      expect(enrolment).toEqual({
        secret: 'JBSWY3DPEHPK3PXP',
        otpauthUri:
          'otpauth://totp/Tenant%20Assistant:tenant1-user?secret=JBSWY3DPEHPK3PXP&issuer=Tenant%20Assistant&algorithm=SHA1&digits=6&period=30',
      });
      expect(cognito.called('verifyTotp')[0]?.args).toEqual(['654321', 'Authenticator app']);
      expect(cognito.called('enableTotpMfa')).toHaveLength(1);
    });

    it('does not enable MFA when the code is wrong', async () => {
      const { cognito, session } = await signedIn();
      cognito.fail('verifyTotp', { code: 'EnableSoftwareTokenMFAException' });
      await expect(session.confirmTotpEnrolment('000000')).rejects.toMatchObject({
        userMessage: 'That code is not right. Check your authenticator app and try again.',
      });
      expect(cognito.called('enableTotpMfa')).toHaveLength(0);
    });

    it('refuses a malformed code without calling Cognito', async () => {
      const { cognito, session } = await signedIn();
      await expect(session.confirmTotpEnrolment('12')).rejects.toMatchObject({ name: 'AuthError' });
      expect(cognito.called('verifyTotp')).toHaveLength(0);
    });

    it('refuses to enrol when signed out', async () => {
      const { session } = setup();
      await expect(session.startTotpEnrolment()).rejects.toBeInstanceOf(SessionExpiredError);
    });
  });

  describe('getIdToken', () => {
    it('returns the current ID token while it is far from expiry', async () => {
      const tokens = fakeTokens({ expSeconds: nowSeconds + 3600 });
      const { cognito, session } = await signedIn(tokens);
      await expect(session.getIdToken()).resolves.toBe(tokens.idToken);
      expect(cognito.called('refresh')).toHaveLength(0);
    });

    it('refreshes once, for concurrent callers, when the token is near expiry', async () => {
      // Prepare
      const { cognito, session } = await signedIn(fakeTokens({ expSeconds: nowSeconds + 60 }));
      const fresh = fakeTokens({ expSeconds: nowSeconds + 3600, marker: 'fresh' });
      cognito.next('refresh', fresh);
      // Act
      const tokens = await Promise.all([session.getIdToken(), session.getIdToken()]);
      // Assess
      expect(tokens).toEqual([fresh.idToken, fresh.idToken]);
      expect(cognito.called('refresh')).toEqual([{ method: 'refresh', args: ['refresh-first'] }]);
    });

    it('keeps the refresh token when Cognito does not return a new one', async () => {
      const { cognito, session } = await signedIn(fakeTokens({ expSeconds: nowSeconds + 60 }));
      cognito.next('refresh', {
        ...fakeTokens({ marker: 'fresh', expSeconds: nowSeconds + 30 }),
        refreshToken: '',
      });
      cognito.next('refresh', fakeTokens({ marker: 'later' }));
      await session.getIdToken();
      await session.getIdToken();
      expect(cognito.called('refresh').map((call) => call.args[0])).toEqual([
        'refresh-first',
        'refresh-first',
      ]);
    });

    it('signs out with "session expired" when the refresh token is refused', async () => {
      // Prepare
      const { cognito, session } = await signedIn(fakeTokens({ expSeconds: nowSeconds + 60 }));
      cognito.fail('refresh', { code: 'NotAuthorizedException', message: 'Refresh Token has expired' });
      // Act
      const result = session.getIdToken();
      // Assess
      await expect(result).rejects.toBeInstanceOf(SessionExpiredError);
      expect(session.getState()).toEqual({
        status: 'signedOut',
        notice: 'Your session has expired. Please sign in again.',
      });
    });

    it('keeps using a still-valid token when the refresh fails for a network error', async () => {
      const tokens = fakeTokens({ expSeconds: nowSeconds + 60 });
      const { cognito, session } = await signedIn(tokens);
      cognito.fail('refresh', { code: 'NetworkError' });
      await expect(session.getIdToken()).resolves.toBe(tokens.idToken);
      expect(session.getState().status).toBe('signedIn');
    });

    it('expires the session when the token has expired and cannot be refreshed', async () => {
      const { cognito, session } = await signedIn(fakeTokens({ expSeconds: nowSeconds - 1 }));
      cognito.fail('refresh', { code: 'NetworkError' });
      await expect(session.getIdToken()).rejects.toBeInstanceOf(SessionExpiredError);
      expect(session.getState().status).toBe('signedOut');
    });
  });

  describe('signOut', () => {
    it('signs out globally and locally', async () => {
      const { cognito, session } = await signedIn();
      await session.signOut();
      expect(cognito.calls.map((call) => call.method)).toEqual([
        'signIn',
        'globalSignOut',
        'clearLocalSession',
      ]);
      expect(session.getState()).toEqual({ status: 'signedOut', notice: 'You have signed out.' });
      await expect(session.getIdToken()).rejects.toBeInstanceOf(SessionExpiredError);
    });

    it('still signs out locally when the global sign-out fails', async () => {
      const { cognito, session } = await signedIn();
      cognito.fail('globalSignOut', { code: 'NetworkError' });
      await session.signOut();
      expect(cognito.called('clearLocalSession')).toHaveLength(1);
      expect(session.getState().status).toBe('signedOut');
    });
  });

  describe('expire', () => {
    it('returns to sign-in with a clear notice after the API refused the token', async () => {
      const { cognito, session } = await signedIn();
      session.expire();
      expect(session.getState()).toEqual({
        status: 'signedOut',
        notice: 'Your session has expired. Please sign in again.',
      });
      expect(cognito.called('clearLocalSession')).toHaveLength(1);
    });
  });
});
