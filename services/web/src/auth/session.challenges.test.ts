import { SessionExpiredError } from '../errors';
import { afterSignIn, setup, signedIn } from '../testing/auth-session';
import { fakeTokens } from '../testing/fakes';
import type { CognitoPort } from './cognito-port';
import type { AuthSession } from './session';

describe('AuthSession', () => {
  describe('completeNewPassword', () => {
    const atNewPassword = () => afterSignIn({ step: 'NEW_PASSWORD_REQUIRED' });

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

    it('may lead to the TOTP challenge', async () => {
      // Prepare
      const { cognito, session } = await atNewPassword();
      cognito.next('completeNewPassword', { step: 'TOTP_REQUIRED' });

      // Act
      await session.completeNewPassword('N3w-Passw0rd!', 'N3w-Passw0rd!');

      // Assess
      expect(session.getState()).toEqual({ status: 'totpRequired', username: 'tenant1-user' });
    });
  });

  describe('submitTotp', () => {
    const atTotp = () => afterSignIn({ step: 'TOTP_REQUIRED' });

    it('signs in with the code from the authenticator app', async () => {
      // Prepare
      const { cognito, session } = await atTotp();
      cognito.next('sendTotpCode', { step: 'DONE', tokens: fakeTokens() });

      // Act
      await session.submitTotp('123 456');

      // Assess
      expect(cognito.called('sendTotpCode')[0]?.args).toEqual(['123456']);
      expect(session.getState().status).toBe('signedIn');
    });

    it('refuses a code that is not 6 digits without calling Cognito', async () => {
      // Prepare
      const { cognito, session } = await atTotp();

      // Act
      await session.submitTotp('12345a');

      // Assess
      expect(session.getState()).toMatchObject({
        status: 'totpRequired',
        error: 'Enter the 6-digit code from your authenticator app.',
      });
      expect(cognito.called('sendTotpCode')).toHaveLength(0);
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
      // Prepare
      const { cognito, session } = await signedIn();
      cognito.fail('verifyTotp', { code: 'EnableSoftwareTokenMFAException' });

      // Act / Assess
      await expect(session.confirmTotpEnrolment('000000')).rejects.toMatchObject({
        userMessage: 'That code is not right. Check your authenticator app and try again.',
      });
      expect(cognito.called('enableTotpMfa')).toHaveLength(0);
    });

    it('refuses a malformed code without calling Cognito', async () => {
      // Prepare
      const { cognito, session } = await signedIn();

      // Act / Assess
      await expect(session.confirmTotpEnrolment('12')).rejects.toMatchObject({ name: 'AuthError' });
      expect(cognito.called('verifyTotp')).toHaveLength(0);
    });

    it('refuses to enrol when signed out', async () => {
      // Prepare
      const { session } = setup();

      // Act / Assess
      await expect(session.startTotpEnrolment()).rejects.toBeInstanceOf(SessionExpiredError);
    });
  });

  describe('Cognito refusing a challenge answer', () => {
    const wrongCode = 'That code is not right. Check your authenticator app and try again.';
    /** Where an answer to an expired challenge leads: signed out, asked to start again. */
    const startedOver = { status: 'signedOut', error: 'This sign-in has expired. Please start again.' };
    it.each([
      {
        does: "shows Cognito's password-policy reason and stays on the step",
        at: { step: 'NEW_PASSWORD_REQUIRED' } as const,
        refusal: {
          method: 'completeNewPassword',
          code: 'InvalidPasswordException',
          message: 'Password does not conform to policy: Password must have symbol characters',
        },
        answer: (session: AuthSession) => session.completeNewPassword('Passw0rdxx', 'Passw0rdxx'),
        leadsTo: {
          status: 'newPasswordRequired',
          username: 'tenant1-user',
          error: 'The new password does not meet the password policy: Password must have symbol characters',
        },
      },
      {
        does: 'starts over when the new-password challenge session has expired',
        at: { step: 'NEW_PASSWORD_REQUIRED' } as const,
        refusal: {
          method: 'completeNewPassword',
          code: 'NotAuthorizedException',
          message: 'Invalid session',
        },
        answer: (session: AuthSession) => session.completeNewPassword('N3w-Passw0rd!', 'N3w-Passw0rd!'),
        leadsTo: startedOver,
      },
      {
        does: 'stays on the TOTP challenge after a wrong code',
        at: { step: 'TOTP_REQUIRED' } as const,
        refusal: { method: 'sendTotpCode', code: 'CodeMismatchException' },
        answer: (session: AuthSession) => session.submitTotp('000000'),
        leadsTo: { status: 'totpRequired', username: 'tenant1-user', error: wrongCode },
      },
      {
        does: 'starts over after too many wrong TOTP codes',
        at: { step: 'TOTP_REQUIRED' } as const,
        refusal: {
          method: 'sendTotpCode',
          code: 'NotAuthorizedException',
          message: 'Invalid session for the user.',
        },
        answer: (session: AuthSession) => session.submitTotp('000000'),
        leadsTo: startedOver,
      },
      {
        does: 'stays on the MFA set-up step after a wrong first code',
        at: { step: 'MFA_SETUP_REQUIRED' } as const,
        refusal: { method: 'verifyTotp', code: 'EnableSoftwareTokenMFAException' },
        answer: (session: AuthSession) => session.confirmMfaSetup('111111'),
        leadsTo: { status: 'mfaSetupRequired', username: 'tenant1-user', error: wrongCode },
      },
    ])('$does', async ({ at, refusal, answer, leadsTo }) => {
      // Prepare
      const { cognito, session } = await afterSignIn(at);
      const { method, ...failure } = refusal;
      cognito.fail(method as keyof CognitoPort, failure);

      // Act
      await answer(session);

      // Assess
      expect(session.getState()).toEqual(leadsTo);
    });
  });
});
