import fc from 'fast-check';
import {
  InvalidTenantIdError,
  InvalidUserIdError,
  isTenantId,
  isUserId,
  parseTenantId,
  parseUserId,
  TENANT_ID_PATTERN,
  tenantContext,
  tenantIdSchema,
  USER_ID_PATTERN,
  userIdSchema,
} from './index';

/** An IAM policy variable such as `${aws:PrincipalTag/tenantId}` (built so it is not a template). */
const policyVariable = (name: string): string => `$\{${name}}`;

const validTenantId = fc.stringMatching(TENANT_ID_PATTERN);
const validUserId = fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] });
const policyWideningCharacters = ['*', '?', '$', '{', '}', '/', ':'];
const whitespace = [' ', '\t', '\n', '\r', '\u00a0', '\u2028'];

/** A valid tenant id with `insert` placed at a random position. */
const tenantIdWith = (insert: fc.Arbitrary<string>) =>
  fc.tuple(validTenantId, insert, fc.nat()).map(([id, extra, at]) => {
    const position = at % (id.length + 1);
    return `${id.slice(0, position)}${extra}${id.slice(position)}`;
  });

describe('parseTenantId', () => {
  it('accepts every id matching ^[a-z0-9][a-z0-9-]{1,62}$', () => {
    fc.assert(
      fc.property(validTenantId, (id) => {
        // Act
        const parsed = parseTenantId(id);

        // Assess
        expect(parsed).toBe(id);
        expect(isTenantId(id)).toBe(true);
      }),
    );
  });

  it('refuses ids containing characters that widen an IAM policy or a table name', () => {
    fc.assert(
      fc.property(tenantIdWith(fc.constantFrom(...policyWideningCharacters)), (id) => {
        expect(() => parseTenantId(id)).toThrow(InvalidTenantIdError);
        expect(isTenantId(id)).toBe(false);
      }),
    );
  });

  it('refuses ids containing whitespace', () => {
    fc.assert(
      fc.property(tenantIdWith(fc.constantFrom(...whitespace)), (id) => {
        expect(() => parseTenantId(id)).toThrow(InvalidTenantIdError);
      }),
    );
  });

  it('refuses ids containing uppercase letters', () => {
    fc.assert(
      fc.property(tenantIdWith(fc.stringMatching(/^[A-Z]$/)), (id) => {
        expect(() => parseTenantId(id)).toThrow(InvalidTenantIdError);
      }),
    );
  });

  it('refuses ids of 64 characters or more', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]{63,100}$/), (id) => {
        expect(() => parseTenantId(id)).toThrow(InvalidTenantIdError);
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['one character', 'a'],
    ['a leading dash', '-tenant'],
    ['a policy variable', policyVariable('aws:PrincipalTag/tenantId')],
    ['a wildcard', '*'],
    ['a trailing newline', 'tenant1\n'],
    ['an underscore', 'tenant_1'],
    ['a dot', 'tenant.1'],
    ['a non-ASCII letter', 'tenänt'],
  ])('refuses %s', (_label, id) => {
    expect(() => parseTenantId(id)).toThrow(InvalidTenantIdError);
  });

  it.each([undefined, null, 42, {}, ['tenant1']])('refuses the non-string %p', (value) => {
    // Act / Assess
    expect(() => parseTenantId(value)).toThrow(InvalidTenantIdError);
    expect(isTenantId(value)).toBe(false);
  });

  it('accepts the longest valid id (63 characters)', () => {
    expect(parseTenantId(`t${'0'.repeat(62)}`)).toHaveLength(63);
  });

  it('throws an error that maps to HTTP 400', () => {
    // Act
    let error: unknown;
    try {
      parseTenantId('*');
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toMatchObject({ name: 'InvalidTenantIdError', statusCode: 400, expose: true });
  });
});

describe('parseUserId', () => {
  it('accepts every lowercase UUID', () => {
    fc.assert(
      fc.property(validUserId, (id) => {
        expect(parseUserId(id)).toBe(id);
        expect(isUserId(id)).toBe(true);
      }),
    );
  });

  it('refuses uppercase UUIDs', () => {
    fc.assert(
      fc.property(
        validUserId.filter((id) => /[a-f]/.test(id)),
        (id) => {
          expect(() => parseUserId(id.toUpperCase())).toThrow(InvalidUserIdError);
        },
      ),
    );
  });

  it('refuses UUIDs with any extra character', () => {
    fc.assert(
      fc.property(
        validUserId,
        fc.constantFrom(...policyWideningCharacters, ...whitespace, 'a', '0', '-'),
        fc.boolean(),
        (id, extra, before) => {
          expect(() => parseUserId(before ? `${extra}${id}` : `${id}${extra}`)).toThrow(InvalidUserIdError);
        },
      ),
    );
  });

  it.each([
    ['empty', ''],
    ['a wildcard', '*'],
    ['a UUID without dashes', '6f1c2e4a0b7d4c1e9a532d8e7f6a5b4c'],
    ['a UUID in braces', '{6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c}'],
    ['a truncated UUID', '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4'],
    ['a non-hex UUID', '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4g'],
    ['a policy variable', policyVariable('aws:PrincipalTag/userId')],
  ])('refuses %s', (_label, id) => {
    // Act / Assess
    expect(() => parseUserId(id)).toThrow(InvalidUserIdError);
    expect(isUserId(id)).toBe(false);
  });

  it.each([undefined, null, 7, {}])('refuses the non-string %p', (value) => {
    expect(() => parseUserId(value)).toThrow(InvalidUserIdError);
  });

  it('matches USER_ID_PATTERN only for lowercase UUIDs', () => {
    // Act / Assess
    expect(USER_ID_PATTERN.test('6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c')).toBe(true);
    expect(USER_ID_PATTERN.test('6F1C2E4A-0B7D-4C1E-9A53-2D8E7F6A5B4C')).toBe(false);
  });
});

describe('tenantContext', () => {
  it('builds a frozen context from valid ids', () => {
    // Prepare
    const userId = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';

    // Act
    const context = tenantContext({ tenantId: 'tenant1', userId });

    // Assess
    expect(context).toEqual({ tenantId: 'tenant1', userId });
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('refuses an invalid tenant id', () => {
    expect(() =>
      tenantContext({ tenantId: 'Tenant1', userId: '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c' }),
    ).toThrow(InvalidTenantIdError);
  });

  it('refuses an invalid user id', () => {
    expect(() => tenantContext({ tenantId: 'tenant1', userId: 'user-1' })).toThrow(InvalidUserIdError);
  });
});

describe('tenantIdSchema and userIdSchema', () => {
  it('parse valid ids', () => {
    // Act / Assess
    expect(tenantIdSchema.parse('tenant1')).toBe('tenant1');
    expect(userIdSchema.parse('6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c')).toBe(
      '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c',
    );
  });

  it('refuse invalid ids with a readable message', () => {
    // Act
    const tenant = tenantIdSchema.safeParse('tenant/*');
    const user = userIdSchema.safeParse('ABC');

    // Assess
    expect(tenant.success).toBe(false);
    expect(tenant.error?.issues[0]?.message).toContain('^[a-z0-9][a-z0-9-]{1,62}$');
    expect(user.success).toBe(false);
    expect(user.error?.issues[0]?.message).toContain('UUID');
  });
});
