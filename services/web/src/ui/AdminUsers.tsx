import type { TenantUserView } from '@tenant-assistant/contracts/admin';
import { type FormEvent, useId, useState } from 'react';
import type { AdminClient } from '../admin/admin-client';
import { usePages } from './Paged';
import { PagedTable } from './Table';
import { noticeProps, useRequest } from './use-request';

const USER_COLUMNS = ['Username', 'Email', 'Status', 'Role', 'Actions'];

/** Cognito's status of a user who has not signed in yet (the invitation can be sent again). */
const INVITED = 'FORCE_CHANGE_PASSWORD';

const STATUS_LABEL: Record<string, string> = {
  [INVITED]: 'Invited (has not signed in yet)',
  CONFIRMED: 'Active',
  RESET_REQUIRED: 'Must reset password',
};

/**
 * A tenant admin's users: the tenant is always the one of the admin's own token (the API takes it
 * from there; nothing here names a tenant). List by pages, invite, resend the invitation, disable /
 * enable, delete (after a confirmation), reset MFA, grant / revoke the tenant admin role.
 */
export const AdminUsers = ({ admin, tenantId }: { admin: AdminClient; tenantId: string }) => {
  const request = useRequest();
  const { run, busy } = request;
  const {
    page,
    load,
    show,
    remove: drop,
  } = usePages(
    request,
    (cursor) => admin.listUsers(cursor),
    (user: TenantUserView) => user.username,
  );
  const [deleting, setDeleting] = useState<string>();
  const usernameId = useId();
  const emailId = useId();

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
    show(invited);
  };

  const act = (send: () => Promise<TenantUserView>, done: (user: TenantUserView) => string) => async () => {
    const user = await run(send, done);
    if (user) show(user);
  };

  /** The buttons of a user's row: what each reads, its accessible name, what it sends and says after. */
  const actionsFor = (user: TenantUserView) => {
    const { username } = user;
    return [
      ...(user.status === INVITED
        ? [
            {
              text: 'Resend invitation',
              name: `Resend invitation to ${username}`,
              send: () => admin.resendInvitation(username),
              done: (u: TenantUserView) => `A new invitation was sent to ${u.email ?? u.username}.`,
            },
          ]
        : []),
      {
        text: user.enabled ? 'Disable' : 'Enable',
        name: `${user.enabled ? 'Disable' : 'Enable'} ${username}`,
        send: () => admin.setUserEnabled(username, !user.enabled),
        done: (u: TenantUserView) =>
          `${u.username} is ${u.enabled ? 'enabled' : 'disabled: they cannot sign in'}.`,
      },
      {
        text: 'Reset MFA',
        name: `Reset MFA of ${username}`,
        send: () => admin.resetMfa(username),
        done: (u: TenantUserView) => `${u.username}'s authenticator app was reset.`,
      },
      {
        text: user.tenantAdmin ? 'Revoke admin' : 'Make admin',
        name: `${user.tenantAdmin ? 'Revoke admin of' : 'Make admin'} ${username}`,
        send: () => admin.setTenantAdmin(username, !user.tenantAdmin),
        done: (u: TenantUserView) =>
          `${u.username} is ${u.tenantAdmin ? 'now a tenant admin' : 'no longer a tenant admin'}.`,
      },
    ];
  };

  const remove = async (username: string) => {
    const deleted = await run(
      () => admin.deleteUser(username).then(() => username),
      () => `${username} was deleted.`,
    );
    setDeleting(undefined);
    if (deleted) drop(deleted);
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

      <PagedTable
        noun="users"
        pagerLabel="User pages"
        columns={USER_COLUMNS}
        busy={busy}
        page={page}
        load={load}
        row={(user) => (
          <tr key={user.username} data-username={user.username}>
            <th scope="row">{user.username}</th>
            <td>{user.email}</td>
            <td>{user.enabled ? (STATUS_LABEL[user.status ?? ''] ?? user.status) : 'Disabled'}</td>
            <td>{user.tenantAdmin ? 'Tenant admin' : 'User'}</td>
            <td className="row-actions">
              {actionsFor(user).map((action) => (
                <button
                  key={action.text}
                  type="button"
                  disabled={busy}
                  aria-label={action.name}
                  onClick={act(action.send, action.done)}
                >
                  {action.text}
                </button>
              ))}
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
        )}
      />
    </section>
  );
};
