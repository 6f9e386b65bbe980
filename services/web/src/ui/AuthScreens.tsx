import {
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import type { AuthSession, AuthState } from '../auth/session';
import { QrCode } from './QrCode';
import { SecretKey } from './SecretKey';

type Props = { auth: AuthSession; state: Exclude<AuthState, { status: 'starting' | 'signedIn' }> };

/** The sign-in steps: password, new password, TOTP code, TOTP set-up required by the pool. */
export const AuthScreens = ({ auth, state }: Props) => {
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<void>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  const field = (event: FormEvent<HTMLFormElement>, name: string) =>
    String(new FormData(event.currentTarget).get(name) ?? '');
  /** A challenge's form: what to show first, the 6-digit code, `label` on the button and Cancel. */
  const codeForm = (
    errorId: string,
    label: string,
    submit: (code: string) => Promise<void>,
    before?: ReactNode,
  ) => (
    <form onSubmit={(event) => run(() => submit(field(event, 'code')))(event)}>
      {before}
      <CodeField errorId={errorId} />
      <Submit busy={busy}>{label}</Submit>
      <Cancel auth={auth} />
    </form>
  );

  switch (state.status) {
    case 'signedOut':
      return (
        <Step title="Sign in" error={state.error} notice={state.notice}>
          {(errorId) => (
            <form
              onSubmit={(event) =>
                run(() => auth.signIn(field(event, 'username'), field(event, 'password')))(event)
              }
            >
              <Field label="Username" name="username" autoComplete="username" errorId={errorId} />
              <Field
                label="Password"
                name="password"
                type="password"
                autoComplete="current-password"
                errorId={errorId}
              />
              <Submit busy={busy}>Sign in</Submit>
            </form>
          )}
        </Step>
      );
    case 'newPasswordRequired':
      return (
        <Step
          title="Choose a new password"
          intro={`Welcome, ${state.username}. Your first sign-in needs a new password of your own.`}
          error={state.error}
        >
          {(errorId) => (
            <form
              onSubmit={(event) =>
                run(() =>
                  auth.completeNewPassword(field(event, 'newPassword'), field(event, 'confirmPassword')),
                )(event)
              }
            >
              <Field
                label="New password"
                name="newPassword"
                type="password"
                autoComplete="new-password"
                errorId={errorId}
              />
              <Field
                label="Repeat the new password"
                name="confirmPassword"
                type="password"
                autoComplete="new-password"
                errorId={errorId}
              />
              <Submit busy={busy}>Set password and sign in</Submit>
              <Cancel auth={auth} />
            </form>
          )}
        </Step>
      );
    case 'totpRequired':
      return (
        <Step
          title="Enter your code"
          intro="Open your authenticator app and enter the 6-digit code for Tenant Assistant."
          error={state.error}
        >
          {(errorId) => codeForm(errorId, 'Verify', (code) => auth.submitTotp(code))}
        </Step>
      );
    case 'mfaSetupRequired':
      return (
        <Step
          title="Set up your authenticator app"
          intro="This account must use a one-time code at sign-in. Add it to an authenticator app, then enter the first code."
          error={state.error}
        >
          {(errorId) =>
            state.secret && state.otpauthUri ? (
              codeForm(
                errorId,
                'Verify and sign in',
                (code) => auth.confirmMfaSetup(code),
                <>
                  <QrCode value={state.otpauthUri} />
                  <SecretKey secret={state.secret} />
                </>,
              )
            ) : (
              <form onSubmit={run(() => auth.beginMfaSetup())}>
                <Submit busy={busy}>Show the QR code</Submit>
                <Cancel auth={auth} />
              </form>
            )
          }
        </Step>
      );
  }
};

const Step = ({
  title,
  intro,
  error,
  notice,
  children,
}: {
  title: string;
  intro?: string;
  error?: string | undefined;
  notice?: string | undefined;
  children: (errorId: string) => ReactNode;
}) => {
  const errorId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // Each step moves focus to its heading, so screen readers announce it and Tab reaches the first field.
  useEffect(() => {
    document.title = `${title} · Tenant Assistant`;
    heading.current?.focus();
  }, [title]);
  return (
    <main className="centered auth">
      <p className="brand">Tenant Assistant</p>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {intro && <p>{intro}</p>}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <p id={errorId} className="error" role="alert" hidden={!error}>
        {error}
      </p>
      {children(errorId)}
    </main>
  );
};

/** A labelled, required input whose errors are described by `errorId`. */
const LabelledInput = ({
  label,
  errorId,
  ...input
}: { label: string; errorId?: string | undefined } & InputHTMLAttributes<HTMLInputElement>) => {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={errorId} required {...input} />
    </div>
  );
};

const Field = ({
  type = 'text',
  ...props
}: {
  label: string;
  name: string;
  type?: string;
  autoComplete: string;
  errorId: string;
}) => <LabelledInput type={type} spellCheck={false} autoCapitalize="none" {...props} />;

/** A 6-digit one-time code input (numeric keyboard on phones, filled in by password managers). */
export const CodeField = ({ errorId, label = '6-digit code' }: { errorId?: string; label?: string }) => (
  <LabelledInput
    label={label}
    errorId={errorId}
    name="code"
    inputMode="numeric"
    autoComplete="one-time-code"
    pattern="[0-9 ]{6,7}"
    maxLength={7}
    className="code"
  />
);

const Submit = ({ busy, children }: { busy: boolean; children: ReactNode }) => (
  <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
    {busy ? 'Please wait…' : children}
  </button>
);

const Cancel = ({ auth }: { auth: AuthSession }) => (
  <button type="button" className="link" onClick={() => auth.cancel()}>
    Back to sign-in
  </button>
);
