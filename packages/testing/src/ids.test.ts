import { randomTenantId, randomUserId } from './ids';

describe('randomUserId', () => {
  it('returns a distinct UUID v4 each time', () => {
    // Act
    const ids = [randomUserId(), randomUserId()];

    // Assess
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('randomTenantId', () => {
  it('returns tenant- and 8 lowercase letters or digits, matching the tenantId pattern', () => {
    // Act
    const ids = Array.from({ length: 50 }, randomTenantId);

    // Assess
    for (const id of ids) {
      expect(id).toMatch(/^tenant-[a-z0-9]{8}$/);
      expect(id).toMatch(/^[a-z0-9][a-z0-9-]{1,62}$/);
    }
    expect(new Set(ids).size).toBe(50);
  });
});
