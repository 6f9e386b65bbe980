import { ulid } from 'ulid';
import { InvalidAnswerIdError } from './errors';
import { isUserId, type TenantContext, type UserId } from './identity';

const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** An answer id `<sub>.<ulid>`: its owner is part of the id, so ownership is checked without a lookup. */
export type AnswerId = string & { readonly __brand: 'AnswerId' };

/**
 * A new answer id owned by `userId`; ids sort by creation time.
 * @example newAnswerId(ctx.userId) // '6f1c…5b4c.01JD…'
 */
export const newAnswerId = (userId: UserId, generate: () => string = ulid): AnswerId => {
  if (!isUserId(userId)) throw new InvalidAnswerIdError();
  return `${userId}.${generate()}` as AnswerId;
};

/**
 * Splits an answer id into owner and ulid, refusing anything malformed.
 * @example parseAnswerId(id).userId
 */
export const parseAnswerId = (value: unknown): { answerId: AnswerId; userId: UserId; ulid: string } => {
  if (typeof value !== 'string') throw new InvalidAnswerIdError();
  const parts = value.split('.');
  const [userId, id] = parts;
  if (parts.length !== 2 || !isUserId(userId) || id === undefined || !ULID_PATTERN.test(id)) {
    throw new InvalidAnswerIdError();
  }
  return { answerId: value as AnswerId, userId, ulid: id };
};

/** True when `value` is a well-formed answer id. */
export const isAnswerId = (value: unknown): value is AnswerId => {
  try {
    parseAnswerId(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * True only when `answerId` is well-formed and its owner is exactly `userId`
 * (a user `abc` never owns `abcd.…`). Malformed ids are owned by nobody.
 * @example if (!isOwnedBy(answerId, ctx.userId)) throw notFound();
 */
export const isOwnedBy = (answerId: unknown, userId: unknown): boolean => {
  if (!isAnswerId(answerId) || !isUserId(userId)) return false;
  return answerId.slice(0, answerId.indexOf('.')) === userId;
};

/**
 * True only when a stored record (an answer, a connection) is exactly this tenant's and this user's:
 * the check behind every read and push of an answer, after {@link isOwnedBy} on its id.
 * @example if (!answer || !belongsTo(answer, event.tenant)) throw new AnswerNotFoundError();
 */
export const belongsTo = (
  record: { readonly tenantId: string; readonly userId: string },
  owner: TenantContext,
): boolean => record.tenantId === owner.tenantId && record.userId === owner.userId;
