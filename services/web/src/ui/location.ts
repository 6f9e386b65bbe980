/**
 * The conversation (or single answer) shown is kept in the URL: `?c=<conversationId>` or
 * `?answer=<answerId>`, so reloading and the back button work. Values from the URL are untrusted:
 * the API only ever returns the caller's own answers.
 */
export const readLocation = (
  search: string = window.location.search,
): { conversationId?: string; answerId?: string } => {
  const params = new URLSearchParams(search);
  const conversationId = params.get('c') ?? undefined;
  const answerId = params.get('answer') ?? undefined;
  return { ...(conversationId ? { conversationId } : {}), ...(answerId ? { answerId } : {}) };
};

/** The search string for a conversation (empty for a new one). */
export const searchFor = (conversationId: string | undefined): string =>
  conversationId ? `?${new URLSearchParams({ c: conversationId }).toString()}` : '';

export const writeLocation = ({ conversationId }: { conversationId: string | undefined }): void => {
  const search = searchFor(conversationId);
  if (search === window.location.search) return;
  window.history.pushState(null, '', `${window.location.pathname}${search}`);
};
