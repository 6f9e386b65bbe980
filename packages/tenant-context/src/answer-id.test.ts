import fc from 'fast-check';
import type { TenantContext, UserId } from './identity';
import { belongsTo, InvalidAnswerIdError, isAnswerId, isOwnedBy, newAnswerId, parseAnswerId } from './index';

const userId = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c' as UserId;
const otherUserId = '0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f' as UserId;
const ulidValue = '01JD0000000000000000000000';
const validUserId = fc.uuid({ version: 4 }).map((id) => id as UserId);

describe('newAnswerId', () => {
  it('prefixes a ULID with the owner sub', () => {
    // Act
    const answerId = newAnswerId(userId);

    // Assess
    expect(answerId).toMatch(/^6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c\.[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isOwnedBy(answerId, userId)).toBe(true);
  });

  it('uses the given id generator', () => {
    expect(newAnswerId(userId, () => ulidValue)).toBe(`${userId}.${ulidValue}`);
  });

  it('returns a different id on every call', () => {
    // Act
    const ids = new Set(Array.from({ length: 100 }, () => newAnswerId(userId)));

    // Assess
    expect(ids.size).toBe(100);
  });

  it('refuses an invalid user id', () => {
    // Act / Assess
    expect(() => newAnswerId('abc' as UserId)).toThrow(InvalidAnswerIdError);
    expect(() => newAnswerId('*' as UserId)).toThrow(InvalidAnswerIdError);
  });
});

describe('parseAnswerId', () => {
  it('splits an answer id into owner and ulid', () => {
    expect(parseAnswerId(`${userId}.${ulidValue}`)).toEqual({
      answerId: `${userId}.${ulidValue}`,
      userId,
      ulid: ulidValue,
    });
  });

  it.each([
    ['a non-string', 42],
    ['undefined', undefined],
    ['an empty string', ''],
    ['a bare user id', userId],
    ['a missing ulid', `${userId}.`],
    ['a missing owner', `.${ulidValue}`],
    ['an extra segment', `${userId}.${ulidValue}.x`],
    ['a lowercase ulid', `${userId}.${ulidValue.toLowerCase()}`],
    ['a ulid with a forbidden letter', `${userId}.01JD000000000000000000000U`],
    ['a short ulid', `${userId}.01JD`],
    ['an uppercase owner', `${userId.toUpperCase()}.${ulidValue}`],
    ['a wildcard owner', `*.${ulidValue}`],
    ['trailing whitespace', `${userId}.${ulidValue} `],
  ])('refuses %s', (_label, value) => {
    // Act / Assess
    expect(() => parseAnswerId(value)).toThrow(InvalidAnswerIdError);
    expect(isAnswerId(value)).toBe(false);
  });
});

describe('isOwnedBy', () => {
  it('is true for the owner of every generated id', () => {
    fc.assert(fc.property(validUserId, (owner) => isOwnedBy(newAnswerId(owner), owner)));
  });

  it('is false for every other user', () => {
    fc.assert(
      fc.property(validUserId, validUserId, (owner, other) => {
        fc.pre(owner !== other);
        expect(isOwnedBy(newAnswerId(owner), other)).toBe(false);
      }),
    );
  });

  it('never lets a prefix of the owner own the answer (abc never owns abcd.…)', () => {
    // Prepare
    const answerId = newAnswerId(userId);

    // Act / Assess
    for (let length = 0; length < userId.length; length += 1) {
      expect(isOwnedBy(answerId, userId.slice(0, length))).toBe(false);
    }
    expect(isOwnedBy(`abcd.${ulidValue}`, 'abc')).toBe(false);
  });

  it('never lets a longer id own the answer', () => {
    // Act / Assess
    expect(isOwnedBy(`${userId}.${ulidValue}`, `${userId}0`)).toBe(false);
    expect(isOwnedBy(`${userId}.${ulidValue}`, `${userId}.${ulidValue}`)).toBe(false);
  });

  it.each([
    ['a bare user id', userId],
    ['a missing ulid', `${userId}.`],
    ['an extra segment', `${userId}.${ulidValue}.${otherUserId}`],
    ['a lowercase ulid', `${userId}.${ulidValue.toLowerCase()}`],
    ['a non-string', { userId }],
  ])('owns nothing for the malformed id %s', (_label, answerId) => {
    // Act / Assess
    expect(isOwnedBy(answerId, userId)).toBe(false);
    expect(isOwnedBy(answerId, otherUserId)).toBe(false);
  });

  it('is false for an invalid user id', () => {
    // Act / Assess
    expect(isOwnedBy(`${userId}.${ulidValue}`, undefined)).toBe(false);
    expect(isOwnedBy(`${userId}.${ulidValue}`, '*')).toBe(false);
  });
});

describe('belongsTo', () => {
  const owner = { tenantId: 'tenant-a', userId } as TenantContext;

  it('is true only for a record of exactly this tenant and user', () => {
    // Prepare
    const own = { tenantId: 'tenant-a', userId };
    const otherTenant = { tenantId: 'tenant-b', userId };
    const otherUser = { tenantId: 'tenant-a', userId: otherUserId };

    // Act
    const verdicts = [own, otherTenant, otherUser].map((record) => belongsTo(record, owner));

    // Assess
    expect(verdicts).toEqual([true, false, false]);
  });
});
