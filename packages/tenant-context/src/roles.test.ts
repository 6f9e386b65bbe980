import { adminRolesOf, inForeignTenantGroup, tenantAdminGroupName, tenantGroupName } from './roles';

describe('roles', () => {
  it('names the user and admin groups of a tenant with different prefixes', () => {
    // Act / Assess
    expect(tenantGroupName('acme')).toBe('tenant-acme');
    expect(tenantAdminGroupName('acme')).toBe('admin-acme');
  });

  it('grants tenant admin only for the admin group of the own tenant', () => {
    // Act / Assess
    expect(adminRolesOf('acme', ['tenant-acme', 'admin-acme'])).toEqual({
      platformAdmin: false,
      tenantAdmin: true,
    });
    expect(adminRolesOf('acme', ['tenant-acme', 'admin-globex'])).toEqual({
      platformAdmin: false,
      tenantAdmin: false,
    });
  });

  it('grants platform admin for the pool-wide group only', () => {
    // Act / Assess
    expect(adminRolesOf('acme', ['platform-admins']).platformAdmin).toBe(true);
    expect(adminRolesOf('acme', ['platform-admin', 'admins']).platformAdmin).toBe(false);
  });

  it('finds memberships of another tenant’s user or admin group', () => {
    // Act / Assess
    expect(inForeignTenantGroup('acme', ['tenant-acme', 'admin-acme', 'platform-admins'])).toBe(false);
    expect(inForeignTenantGroup('acme', ['tenant-globex'])).toBe(true);
    expect(inForeignTenantGroup('acme', ['admin-globex'])).toBe(true);
  });
});
