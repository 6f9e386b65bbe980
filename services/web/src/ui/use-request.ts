import { useCallback, useRef, useState } from 'react';
import { userMessageOf } from '../errors';

export interface RequestState {
  /** A request is in flight: every button that sends one is disabled. */
  readonly busy: boolean;
  /** What the last request answered, in plain words (success notice or the API's error). */
  readonly notice: { readonly kind: 'done' | 'failed'; readonly text: string } | undefined;
  /**
   * Runs one request at a time; `done` words its success. Resolves the result, or undefined when it
   * failed (the error is shown) or another request was still in flight.
   */
  readonly run: <T>(send: () => Promise<T>, done?: (result: T) => string) => Promise<T | undefined>;
  readonly clear: () => void;
}

/** One request at a time for an admin screen, its error or success shown (`role="alert"` / `status`). */
export const useRequest = (): RequestState => {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<RequestState['notice']>();
  const inFlight = useRef(false);
  const run = useCallback(async <T>(send: () => Promise<T>, done?: (result: T) => string) => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setBusy(true);
    setNotice(undefined);
    try {
      const result = await send();
      if (done) setNotice({ kind: 'done', text: done(result) });
      return result;
    } catch (error) {
      setNotice({ kind: 'failed', text: userMessageOf(error) });
      return undefined;
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setNotice(undefined), []);
  return { busy, notice, run, clear };
};

/** The notice of a {@link useRequest}: an alert for a failure, a status line for a success. */
export const noticeProps = (notice: RequestState['notice']) =>
  notice?.kind === 'failed'
    ? ({ className: 'error', role: 'alert' } as const)
    : ({ className: 'done', role: 'status' } as const);
