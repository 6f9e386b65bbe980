import { readAdminView } from './location';

describe('readAdminView', () => {
  it('reads the admin screen from ?admin=', () => {
    // Act / Assess
    expect(readAdminView('?admin=users')).toBe('users');
    expect(readAdminView('?admin=tenants')).toBe('tenants');
  });

  it('ignores an unknown screen, and any tenant named in the URL', () => {
    // Act / Assess
    expect(readAdminView('?admin=secrets')).toBeUndefined();
    expect(readAdminView('?c=01JD')).toBeUndefined();
    expect(readAdminView('?admin=users&tenant=tenant2')).toBe('users');
  });
});
