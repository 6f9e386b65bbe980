import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestState } from './use-request';

/** A page as the admin API answers: its items and the cursor of the next page (absent on the last). */
export interface ApiPage<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

/** The page shown: its items (changed in place by the screen's actions) and where it came from. */
export interface ShownPage<T> extends ApiPage<T> {
  /** The cursor this page was read with (absent for the first page). */
  readonly cursor?: string;
}

/**
 * A list read page by page through a screen's {@link RequestState} (so paging waits for other
 * requests and its errors show like theirs): the first page at once, then `load(nextCursor)`.
 * `show` puts an item in place of the one with the same key (or first), `remove` drops one.
 */
export const usePages = <T,>(
  request: RequestState,
  fetchPage: (cursor?: string) => Promise<ApiPage<T>>,
  keyOf: (item: T) => string,
) => {
  const [page, setPage] = useState<ShownPage<T>>();
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const keyRef = useRef(keyOf);
  keyRef.current = keyOf;
  const { run } = request;

  const load = useCallback(
    async (cursor?: string) => {
      const loaded = await run(() => fetchRef.current(cursor));
      if (loaded) setPage({ ...loaded, ...(cursor ? { cursor } : {}) });
    },
    [run],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const show = useCallback((item: T) => {
    const key = keyRef.current(item);
    setPage((current) => {
      const items = current?.items ?? [];
      const known = items.some((shown) => keyRef.current(shown) === key);
      return {
        ...current,
        items: known
          ? items.map((shown) => (keyRef.current(shown) === key ? item : shown))
          : [item, ...items],
      };
    });
  }, []);

  const remove = useCallback((key: string) => {
    setPage(
      (current) =>
        current && { ...current, items: current.items.filter((shown) => keyRef.current(shown) !== key) },
    );
  }, []);

  return { page, load, show, remove };
};

/** “First page” / “Next page” of a {@link usePages} list (disabled while a request is in flight). */
export const Pager = ({
  label,
  busy,
  page,
  load,
}: {
  label: string;
  busy: boolean;
  page: ShownPage<unknown> | undefined;
  load: (cursor?: string) => Promise<void>;
}) => (
  <nav aria-label={label} className="actions">
    <button type="button" disabled={busy || !page?.cursor} onClick={() => void load()}>
      First page
    </button>
    <button type="button" disabled={busy || !page?.nextCursor} onClick={() => void load(page?.nextCursor)}>
      Next page
    </button>
  </nav>
);
