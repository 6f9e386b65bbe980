import { AuthError } from '../errors';
import { authErrorFrom } from './auth-errors';

describe('authErrorFrom', () => {
  it.each([
    [
      { code: 'NotAuthorizedException', message: 'Password attempts exceeded' },
      'signIn',
      'Too many failed attempts',
    ],
    [{ code: 'PasswordResetRequiredException' }, 'signIn', 'Your password must be reset'],
    [{ code: 'UserNotConfirmedException' }, 'signIn', 'not confirmed'],
    [{ code: 'ExpiredCodeException' }, 'totp', 'expired or was already used'],
    [{ code: 'TooManyRequestsException' }, 'totp', 'Too many attempts'],
    [{ code: 'NetworkError', message: 'Network error' }, 'signIn', 'Cannot reach the sign-in service'],
    [{ name: 'NotAuthorizedException' }, 'refresh', 'Your session has expired'],
    [{ code: 'Weird' }, 'totpSetup', 'Could not set up the authenticator app'],
    [new Error('boom'), 'signIn', 'Sign-in failed. Please try again.'],
    [undefined, 'signIn', 'Sign-in failed. Please try again.'],
    [
      {
        code: 'UserLambdaValidationException',
        message: 'PreTokenGeneration failed with error Sign-in refused: your account is suspended.',
      },
      'signIn',
      'Sign-in was refused: your account is suspended.',
    ],
    [
      {
        code: 'UserLambdaValidationException',
        message: 'PreTokenGeneration failed with error tenant unknown.',
      },
      'signIn',
      'Sign-in was refused: tenant unknown.',
    ],
    [
      { code: 'UserLambdaValidationException', message: 'odd' },
      'signIn',
      'Sign-in was refused for this account.',
    ],
  ] as const)('maps %j at %s to a sentence for the user', (failure, step, expected) => {
    // Act
    const error = authErrorFrom(failure, step);

    // Assess
    expect(error).toBeInstanceOf(AuthError);
    expect(error.name).toBe('AuthError');
    expect(error.userMessage).toContain(expected);
    expect(error.cause).toBe(failure);
  });

  it('never shows the raw Cognito message for unknown errors', () => {
    // Act
    const error = authErrorFrom(
      { code: 'InternalErrorException', message: 'stack trace at line 3' },
      'signIn',
    );

    // Assess
    expect(error.userMessage).not.toContain('stack');
  });
});
