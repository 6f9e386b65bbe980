import type { AdminRoles } from '@tenant-assistant/tenant-context';
import type { AdminClient } from '../admin/admin-client';
import { AdminTenants } from './AdminTenants';
import { AdminUsers } from './AdminUsers';
import type { AdminView } from './location';
import { ScreenHead } from './ScreenHead';

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
  return (
    <main className="admin">
      <ScreenHead
        heading="Admin"
        pageTitle={`Admin · ${view === 'users' ? 'Users' : 'Tenants'} · Tenant Assistant`}
        navLabel="Admin"
        onClose={onClose}
      >
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
      </ScreenHead>
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
