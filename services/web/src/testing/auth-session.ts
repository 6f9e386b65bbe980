import type { SignInStep } from '../auth/cognito-port';
import { AuthSession } from '../auth/session';
import { fakeCognito, fakeTokens } from './fakes';

/** The AuthSession tests' set-up: a session over a fake Cognito at a fixed time. */
export const NOW = Date.parse('2030-01-01T00:00:00Z');
export const nowSeconds = NOW / 1000;

/** A new session (signed out) and the fake Cognito behind it. */
export const setup = () => {
  const cognito = fakeCognito();
  const session = new AuthSession({ cognito: cognito.port, now: () => NOW, refreshMarginMs: 120_000 });
  return { cognito, session };
};

/** A session whose sign-in of tenant1-user Cognito answered with `step` (a challenge, or DONE). */
export const afterSignIn = async (step: SignInStep) => {
  const context = setup();
  context.cognito.next('signIn', step);
  await context.session.signIn('tenant1-user', 'Passw0rd!');
  return context;
};

/** A signed-in session (tokens valid for an hour unless given). */
export const signedIn = (tokens = fakeTokens({ expSeconds: nowSeconds + 3600 })) =>
  afterSignIn({ step: 'DONE', tokens });
