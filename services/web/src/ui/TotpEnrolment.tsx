import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { AuthSession, TotpEnrolment as Enrolment } from '../auth/session';
import { userMessageOf } from '../errors';
import { CodeField } from './AuthScreens';
import { QrCode } from './QrCode';
import { SecretKey } from './SecretKey';

type Step =
  | { kind: 'loading' }
  | { kind: 'scan'; enrolment: Enrolment }
  | { kind: 'done' }
  | { kind: 'failed' };

/**
 * Adds TOTP MFA to the signed-in account: secret + QR code, first code, MFA preference. A modal
 * <dialog>: focus moves into it, Escape closes it, focus returns to the page.
 */
export const TotpEnrolment = ({ auth, onClose }: { auth: AuthSession; onClose: () => void }) => {
  const dialog = useRef<HTMLDialogElement>(null);
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const errorId = useId();

  useEffect(() => {
    dialog.current?.showModal();
    let current = true;
    auth
      .startTotpEnrolment()
      .then((enrolment) => current && setStep({ kind: 'scan', enrolment }))
      .catch((caught: unknown) => {
        if (!current) return;
        setError(userMessageOf(caught));
        setStep({ kind: 'failed' });
      });
    return () => {
      current = false;
    };
  }, [auth]);

  const verify = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      await auth.confirmTotpEnrolment(String(new FormData(event.currentTarget).get('code') ?? ''));
      setError(undefined);
      setStep({ kind: 'done' });
    } catch (caught) {
      setError(userMessageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Authenticator app</h2>
      <p id={errorId} className="error" role="alert" hidden={!error}>
        {error}
      </p>
      {step.kind === 'loading' && <p role="status">Preparing a new secret…</p>}
      {step.kind === 'scan' && (
        <form onSubmit={verify}>
          <p>
            Add Tenant Assistant to your authenticator app, then enter the code it shows. From then on,
            sign-in asks for a code.
          </p>
          <QrCode value={step.enrolment.otpauthUri} />
          <SecretKey secret={step.enrolment.secret} />
          <CodeField errorId={errorId} />
          <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Please wait…' : 'Verify and turn on'}
          </button>
        </form>
      )}
      {step.kind === 'done' && (
        <p role="status" className="notice">
          Done: your next sign-in will ask for a code from your authenticator app.
        </p>
      )}
      <form method="dialog">
        <button type="submit" className="link">
          {step.kind === 'done' ? 'Close' : 'Cancel'}
        </button>
      </form>
    </dialog>
  );
};
