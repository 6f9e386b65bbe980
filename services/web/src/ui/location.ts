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

/** The admin area's screens, kept in the URL as `?admin=users` / `?admin=tenants`. */
export const ADMIN_VIEWS = ['users', 'tenants'] as const;
export type AdminView = (typeof ADMIN_VIEWS)[number];

/**
 * The admin screen the URL asks for, if any. Any other parameter (e.g. a tenant id) is ignored: a
 * tenant admin's users are always those of their own token's tenant, and the API decides who may
 * see tenants.
 */
export const readAdminView = (search: string = window.location.search): AdminView | undefined => {
  const view = new URLSearchParams(search).get('admin');
  return (ADMIN_VIEWS as readonly string[]).includes(view ?? '') ? (view as AdminView) : undefined;
};

/** Puts an admin screen in the URL (a new history entry, so Back returns to the chat). */
export const writeAdminView = (view: AdminView): void => {
  const search = `?${new URLSearchParams({ admin: view }).toString()}`;
  if (search === window.location.search) return;
  window.history.pushState(null, '', `${window.location.pathname}${search}`);
};
