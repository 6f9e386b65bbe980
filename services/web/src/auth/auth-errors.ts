import { AuthError } from '../errors';
import type { CognitoFailure } from './cognito-port';

/** Which step failed: the same Cognito error means different things at different steps. */
export type AuthStepName = 'signIn' | 'newPassword' | 'totp' | 'totpSetup' | 'refresh' | 'signOut';

const codeOf = (error: unknown): string => {
  const failure = (error ?? {}) as CognitoFailure;
  return failure.code ?? failure.name ?? 'Unknown';
};
const messageOf = (error: unknown): string => String((error as CognitoFailure | undefined)?.message ?? '');

/**
 * Translates a Cognito error into an AuthError with a sentence for the user. It never says whether a
 * username exists, and shows Cognito's own text only where it is meant for the user (password policy).
 * @example authErrorFrom({ code: 'CodeMismatchException' }, 'totp').userMessage
 */
export const authErrorFrom = (error: unknown, step: AuthStepName): AuthError => {
  if (error instanceof AuthError) return error;
  const code = codeOf(error);
  const message = messageOf(error);
  const make = (text: string) => new AuthError(code, text, error);
  switch (code) {
    case 'NotAuthorizedException':
      if (/attempts exceeded/i.test(message))
        return make('Too many failed attempts. Wait a few minutes and try again.');
      if (step === 'signIn') return make('Incorrect username or password.');
      if (step === 'refresh') return make('Your session has expired. Please sign in again.');
      return make('This sign-in has expired. Please start again.');
    case 'UserNotFoundException':
      return make('Incorrect username or password.');
    case 'PasswordResetRequiredException':
      return make('Your password must be reset. Contact your administrator.');
    case 'UserNotConfirmedException':
      return make('Your account is not confirmed yet. Contact your administrator.');
    case 'InvalidPasswordException': {
      const detail = message.split(':').slice(1).join(':').trim();
      return make(`The new password does not meet the password policy${detail ? `: ${detail}` : '.'}`);
    }
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return make('That code is not right. Check your authenticator app and try again.');
    case 'ExpiredCodeException':
      return make('That code has expired or was already used. Wait for the next code and try again.');
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return make('Too many attempts. Wait a few minutes and try again.');
    case 'UserLambdaValidationException': {
      // The trigger's own message already says "Sign-in refused: …": keep only its reason.
      const reason = /failed with error (.*?)\.?$/i
        .exec(message)?.[1]
        ?.replace(/^sign-in (was )?refused:\s*/i, '')
        .trim();
      return make(reason ? `Sign-in was refused: ${reason}.` : 'Sign-in was refused for this account.');
    }
    case 'NetworkError':
      return make('Cannot reach the sign-in service. Check your connection and try again.');
    default:
      return make(
        step === 'totpSetup'
          ? 'Could not set up the authenticator app. Please try again.'
          : 'Sign-in failed. Please try again.',
      );
  }
};
