import { SessionExpiredError } from '../errors';
import { nowSeconds, setup, signedIn } from '../testing/auth-session';
import { fakeTokens, USER_SUB } from '../testing/fakes';

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
      // Prepare
      const { cognito, session } = setup();
      cognito.next('restore', undefined);

      // Act
      await session.start();

      // Assess
      expect(session.getState()).toEqual({ status: 'signedOut' });
    });

    it('shows the sign-in form when restoring fails', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.fail('restore', { code: 'NotAuthorizedException' });

      // Act
      await session.start();

      // Assess
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
      // Prepare
      const { cognito, session } = setup();

      // Act
      await session.signIn(' ', '');

      // Assess
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
      // Prepare
      const { cognito, session } = setup();
      cognito.next('signIn', { step: 'DONE', tokens: fakeTokens({ tenantId: '*' }) });

      // Act
      await session.signIn('tenant1-user', 'Passw0rd!');

      // Assess
      expect(session.getState().status).toBe('signedOut');
    });

    it('shows the pre-token-generation refusal reason', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.fail('signIn', {
        code: 'UserLambdaValidationException',
        message: 'PreTokenGeneration failed with error User has no tenant.',
      });

      // Act
      await session.signIn('orphan', 'Passw0rd!');

      // Assess
      expect(session.getState()).toEqual({
        status: 'signedOut',
        error: 'Sign-in was refused: User has no tenant.',
      });
    });

    it('refuses challenges the app does not support', async () => {
      // Prepare
      const { cognito, session } = setup();
      cognito.next('signIn', { step: 'UNSUPPORTED', challenge: 'SMS_MFA' });

      // Act
      await session.signIn('tenant1-user', 'Passw0rd!');

      // Assess
      expect(session.getState()).toEqual({
        status: 'signedOut',
        error: 'This account needs a sign-in step the app does not support (SMS_MFA).',
      });
    });
  });

  describe('getIdToken', () => {
    it('returns the current ID token while it is far from expiry', async () => {
      // Prepare
      const tokens = fakeTokens({ expSeconds: nowSeconds + 3600 });

      // Prepare
      const { cognito, session } = await signedIn(tokens);

      // Act / Assess
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
      // Prepare
      const { cognito, session } = await signedIn(fakeTokens({ expSeconds: nowSeconds + 60 }));
      cognito.next('refresh', {
        ...fakeTokens({ marker: 'fresh', expSeconds: nowSeconds + 30 }),
        refreshToken: '',
      });
      cognito.next('refresh', fakeTokens({ marker: 'later' }));
      await session.getIdToken();

      // Act
      await session.getIdToken();

      // Assess
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
      // Prepare
      const tokens = fakeTokens({ expSeconds: nowSeconds + 60 });
      const { cognito, session } = await signedIn(tokens);
      cognito.fail('refresh', { code: 'NetworkError' });

      // Act / Assess
      await expect(session.getIdToken()).resolves.toBe(tokens.idToken);
      expect(session.getState().status).toBe('signedIn');
    });

    it('expires the session when the token has expired and cannot be refreshed', async () => {
      // Prepare
      const { cognito, session } = await signedIn(fakeTokens({ expSeconds: nowSeconds - 1 }));
      cognito.fail('refresh', { code: 'NetworkError' });

      // Act / Assess
      await expect(session.getIdToken()).rejects.toBeInstanceOf(SessionExpiredError);
      expect(session.getState().status).toBe('signedOut');
    });
  });

  describe('signOut', () => {
    it('signs out globally and locally', async () => {
      // Prepare
      const { cognito, session } = await signedIn();

      // Act
      await session.signOut();

      // Assess
      expect(cognito.calls.map((call) => call.method)).toEqual([
        'signIn',
        'globalSignOut',
        'clearLocalSession',
      ]);
      expect(session.getState()).toEqual({ status: 'signedOut', notice: 'You have signed out.' });
      await expect(session.getIdToken()).rejects.toBeInstanceOf(SessionExpiredError);
    });

    it('still signs out locally when the global sign-out fails', async () => {
      // Prepare
      const { cognito, session } = await signedIn();
      cognito.fail('globalSignOut', { code: 'NetworkError' });

      // Act
      await session.signOut();

      // Assess
      expect(cognito.called('clearLocalSession')).toHaveLength(1);
      expect(session.getState().status).toBe('signedOut');
    });
  });

  describe('expire', () => {
    it('returns to sign-in with a clear notice after the API refused the token', async () => {
      // Prepare
      const { cognito, session } = await signedIn();

      // Act
      session.expire();

      // Assess
      expect(session.getState()).toEqual({
        status: 'signedOut',
        notice: 'Your session has expired. Please sign in again.',
      });
      expect(cognito.called('clearLocalSession')).toHaveLength(1);
    });
  });
});
