import {
  PLATFORM_ADMIN_GROUP,
  tenantAdminGroupName,
  tenantGroupName,
} from '@tenant-assistant/tenant-context';
import { fakeJwt, USER_SUB } from '../testing/fakes';
import { adminRolesOfIdToken, GROUPS_CLAIM, isAnyAdmin, NO_ADMIN_ROLES } from './admin-roles';

const token = (tenantId: string, groups?: unknown) =>
  fakeJwt({
    sub: USER_SUB,
    'custom:tenantId': tenantId,
    ...(groups === undefined ? {} : { [GROUPS_CLAIM]: groups }),
  });

describe('adminRolesOfIdToken', () => {
  it("reads a tenant admin from the admin group of the token's own tenant", () => {
    // Act
    const roles = adminRolesOfIdToken(
      token('tenant1', [tenantGroupName('tenant1'), tenantAdminGroupName('tenant1')]),
    );

    // Assess
    expect(roles).toEqual({ platformAdmin: false, tenantAdmin: true });
    expect(isAnyAdmin(roles)).toBe(true);
  });

  it('reads a platform admin from the pool-wide group', () => {
    // Act / Assess
    expect(adminRolesOfIdToken(token('tenant1', [PLATFORM_ADMIN_GROUP]))).toEqual({
      platformAdmin: true,
      tenantAdmin: false,
    });
  });

  it("grants nothing for another tenant's admin group, no groups, or a token without a tenant", () => {
    // Act / Assess
    expect(adminRolesOfIdToken(token('tenant1', [tenantAdminGroupName('tenant2')]))).toEqual(NO_ADMIN_ROLES);
    expect(adminRolesOfIdToken(token('tenant1'))).toEqual(NO_ADMIN_ROLES);
    expect(adminRolesOfIdToken(token('tenant1', 'admin-tenant1'))).toEqual(NO_ADMIN_ROLES);
    expect(adminRolesOfIdToken(fakeJwt({ sub: USER_SUB, [GROUPS_CLAIM]: [PLATFORM_ADMIN_GROUP] }))).toEqual(
      NO_ADMIN_ROLES,
    );
    expect(adminRolesOfIdToken('garbage')).toEqual(NO_ADMIN_ROLES);
    expect(isAnyAdmin(NO_ADMIN_ROLES)).toBe(false);
  });
});
