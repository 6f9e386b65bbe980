import type { TenantUserView } from '@tenant-assistant/contracts/admin';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { AdminClient } from '../admin/admin-client';
import { noticeProps, useRequest } from './use-request';

/** Cognito's status of a user who has not signed in yet (the invitation can be sent again). */
const INVITED = 'FORCE_CHANGE_PASSWORD';

const STATUS_LABEL: Record<string, string> = {
  [INVITED]: 'Invited (has not signed in yet)',
  CONFIRMED: 'Active',
  RESET_REQUIRED: 'Must reset password',
};

type Page = { users: TenantUserView[]; cursor?: string; nextCursor?: string };

/**
 * A tenant admin's users: the tenant is always the one of the admin's own token (the API takes it
 * from there; nothing here names a tenant). List by pages, invite, resend the invitation, disable /
 * enable, delete (after a confirmation), reset MFA, grant / revoke the tenant admin role.
 */
export const AdminUsers = ({ admin, tenantId }: { admin: AdminClient; tenantId: string }) => {
  const request = useRequest();
  const { run, busy } = request;
  const [page, setPage] = useState<Page>();
  const [deleting, setDeleting] = useState<string>();
  const usernameId = useId();
  const emailId = useId();

  const load = useCallback(
    async (cursor?: string) => {
      const loaded = await run(() => admin.listUsers(cursor));
      if (loaded)
        setPage({
          users: loaded.items,
          ...(cursor ? { cursor } : {}),
          ...(loaded.nextCursor ? { nextCursor: loaded.nextCursor } : {}),
        });
    },
    [admin, run],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const replace = (user: TenantUserView) =>
    setPage(
      (current) =>
        current && {
          ...current,
          users: current.users.map((shown) => (shown.username === user.username ? user : shown)),
        },
    );

  const invite = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const invited = await run(
      () => admin.inviteUser({ username: String(data.get('username')), email: String(data.get('email')) }),
      (user) =>
        `Invitation sent to ${user.email ?? 'the user'}: ${user.username} signs in with the temporary password in it.`,
    );
    if (!invited) return;
    form.reset();
    setPage((current) => ({
      ...current,
      users: [invited, ...(current?.users ?? []).filter((u) => u.username !== invited.username)],
    }));
  };

  const act = (send: () => Promise<TenantUserView>, done: (user: TenantUserView) => string) => async () => {
    const user = await run(send, done);
    if (user) replace(user);
  };

  const remove = async (username: string) => {
    const deleted = await run(
      () => admin.deleteUser(username).then(() => username),
      () => `${username} was deleted.`,
    );
    setDeleting(undefined);
    if (deleted)
      setPage(
        (current) => current && { ...current, users: current.users.filter((u) => u.username !== deleted) },
      );
  };

  return (
    <section aria-labelledby={`${usernameId}-heading`} className="admin-section">
      <h2 id={`${usernameId}-heading`}>Users of {tenantId}</h2>

      <form className="admin-form" onSubmit={(event) => void invite(event)}>
        <h3>Invite a user</h3>
        <div className="admin-fields">
          <div>
            <label htmlFor={usernameId}>Username</label>
            <input id={usernameId} name="username" required autoComplete="off" maxLength={128} />
          </div>
          <div>
            <label htmlFor={emailId}>Email</label>
            <input id={emailId} name="email" type="email" required autoComplete="off" maxLength={254} />
          </div>
        </div>
        <p className="hint">
          Cognito emails the invitation with a temporary password; it is never shown here.
        </p>
        <button type="submit" className="primary" disabled={busy}>
          Send invitation
        </button>
      </form>

      {request.notice && <p {...noticeProps(request.notice)}>{request.notice.text}</p>}

      {!page && busy && <p role="status">Loading users…</p>}
      {page && page.users.length === 0 && <p className="empty">No users on this page.</p>}
      {page && page.users.length > 0 && (
        <div className="table-scroll">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Role</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.users.map((user) => (
                <tr key={user.username} data-username={user.username}>
                  <th scope="row">{user.username}</th>
                  <td>{user.email}</td>
                  <td>{user.enabled ? (STATUS_LABEL[user.status ?? ''] ?? user.status) : 'Disabled'}</td>
                  <td>{user.tenantAdmin ? 'Tenant admin' : 'User'}</td>
                  <td className="row-actions">
                    {user.status === INVITED && (
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={`Resend invitation to ${user.username}`}
                        onClick={act(
                          () => admin.resendInvitation(user.username),
                          (u) => `A new invitation was sent to ${u.email ?? u.username}.`,
                        )}
                      >
                        Resend invitation
                      </button>
                    )}
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`${user.enabled ? 'Disable' : 'Enable'} ${user.username}`}
                      onClick={act(
                        () => admin.setUserEnabled(user.username, !user.enabled),
                        (u) => `${u.username} is ${u.enabled ? 'enabled' : 'disabled: they cannot sign in'}.`,
                      )}
                    >
                      {user.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Reset MFA of ${user.username}`}
                      onClick={act(
                        () => admin.resetMfa(user.username),
                        (u) => `${u.username}'s authenticator app was reset.`,
                      )}
                    >
                      Reset MFA
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`${user.tenantAdmin ? 'Revoke admin of' : 'Make admin'} ${user.username}`}
                      onClick={act(
                        () => admin.setTenantAdmin(user.username, !user.tenantAdmin),
                        (u) =>
                          `${u.username} is ${u.tenantAdmin ? 'now a tenant admin' : 'no longer a tenant admin'}.`,
                      )}
                    >
                      {user.tenantAdmin ? 'Revoke admin' : 'Make admin'}
                    </button>
                    {deleting === user.username ? (
                      <fieldset className="confirm">
                        <legend>Delete {user.username}?</legend>
                        <button
                          type="button"
                          className="danger"
                          disabled={busy}
                          onClick={() => void remove(user.username)}
                        >
                          Yes, delete
                        </button>
                        <button type="button" disabled={busy} onClick={() => setDeleting(undefined)}>
                          Keep
                        </button>
                      </fieldset>
                    ) : (
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={`Delete ${user.username}`}
                        onClick={() => setDeleting(user.username)}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="User pages" className="actions">
        <button type="button" disabled={busy || !page?.cursor} onClick={() => void load()}>
          First page
        </button>
        <button
          type="button"
          disabled={busy || !page?.nextCursor}
          onClick={() => void load(page?.nextCursor)}
        >
          Next page
        </button>
      </nav>
    </section>
  );
};
