import type { AdminRoles } from '@tenant-assistant/tenant-context';
import { useEffect, useRef } from 'react';
import type { AdminClient } from '../admin/admin-client';
import { AdminTenants } from './AdminTenants';
import { AdminUsers } from './AdminUsers';
import type { AdminView } from './location';

/**
 * The admin area: a tenant admin's Users, a platform admin's Tenants. Which screens are offered
 * follows the roles in the token; the admin API is the guard (a screen opened by URL without the
 * role shows the API's refusal, never data).
 */
export const AdminScreen = ({
  admin,
  roles,
  tenantId,
  view,
  onView,
  onClose,
}: {
  admin: AdminClient;
  roles: AdminRoles;
  tenantId: string;
  view: AdminView;
  onView: (view: AdminView) => void;
  onClose: () => void;
}) => {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `Admin · ${view === 'users' ? 'Users' : 'Tenants'} · Tenant Assistant`;
    heading.current?.focus();
  }, [view]);

  return (
    <main className="admin">
      <div className="usage-head">
        <h1 ref={heading} tabIndex={-1}>
          Admin
        </h1>
        <nav aria-label="Admin" className="actions">
          {roles.tenantAdmin && (
            <button type="button" aria-pressed={view === 'users'} onClick={() => onView('users')}>
              Users
            </button>
          )}
          {roles.platformAdmin && (
            <button type="button" aria-pressed={view === 'tenants'} onClick={() => onView('tenants')}>
              Tenants
            </button>
          )}
          <button type="button" onClick={onClose}>
            Back to the chat
          </button>
        </nav>
      </div>
      {view === 'users' ? (
        <AdminUsers key="users" admin={admin} tenantId={tenantId} />
      ) : (
        <AdminTenants key="tenants" admin={admin} />
      )}
    </main>
  );
};

/** The screen an admin lands on: their users for a tenant admin, else the tenants. */
export const defaultAdminView = (roles: AdminRoles): AdminView => (roles.tenantAdmin ? 'users' : 'tenants');
