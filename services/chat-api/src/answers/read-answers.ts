import {
  type AnswerPage,
  type AnswerView,
  type ListAnswersQuery,
  listAnswersQuerySchema,
} from '@tenant-assistant/contracts/http';
import { type AnswerId, belongsTo, isOwnedBy, type TenantContext } from '@tenant-assistant/tenant-context';
import { AnswerNotFoundError, BadRequestError, ConversationNotFoundError } from '../errors';
import { parseQuery } from '../http/query';
import type { AnswersRepository, Clock } from '../ports';
import { settleOnRead } from './deadline';
import { toAnswerView } from './model';

export {
  type AnswerPage,
  DEFAULT_PAGE_SIZE,
  type ListAnswersQuery,
  listAnswersQuerySchema,
  MAX_PAGE_SIZE,
} from '@tenant-assistant/contracts/http';

export interface ReadAnswersDeps {
  answers: AnswersRepository;
  clock: Clock;
}

/**
 * The caller's answer. Another user's answer, another tenant's, a malformed id and a missing answer
 * all give the same AnswerNotFoundError (404): nothing reveals that someone else's answer exists.
 * An open answer past its deadline is made FAILED (timed out) by this read.
 *
 * @example const answer = await getAnswer(deps, event.tenant, event.pathParameters.answerId);
 */
export const getAnswer = async (
  deps: ReadAnswersDeps,
  tenant: TenantContext,
  answerId: unknown,
): Promise<AnswerView> => {
  if (!isOwnedBy(answerId, tenant.userId)) throw new AnswerNotFoundError();
  const answer = await deps.answers.get({ userId: tenant.userId, answerId: answerId as AnswerId });
  if (!answer || !belongsTo(answer, tenant)) throw new AnswerNotFoundError();
  return toAnswerView(await settleOnRead(deps, answer));
};

/** Validates the query string of `GET /answers` (400 with details when invalid). */
export const parseListAnswersQuery = (query: unknown): ListAnswersQuery =>
  parseQuery(listAnswersQuerySchema, query);

/** An opaque page cursor: the last answer id of the page, base64url-encoded. */
export const encodeCursor = (answerId: AnswerId): string => Buffer.from(answerId).toString('base64url');

const decodeCursor = (cursor: string, tenant: TenantContext): AnswerId => {
  const answerId = Buffer.from(cursor, 'base64url').toString('utf8');
  // A cursor only ever points into the caller's own answers.
  if (!isOwnedBy(answerId, tenant.userId))
    throw new BadRequestError('Invalid cursor', { code: 'INVALID_CURSOR' });
  return answerId as AnswerId;
};

/**
 * The caller's answers in one conversation, oldest first (newest last), one page at a time. A
 * conversation the caller has no answer in — another user's among them — is ConversationNotFoundError
 * (404). Open answers past their deadline are made FAILED (timed out) by this read.
 *
 * @example const page = await listAnswers(deps, event.tenant, { conversationId, limit: 20 });
 */
export const listAnswers = async (
  deps: ReadAnswersDeps,
  tenant: TenantContext,
  query: ListAnswersQuery,
): Promise<AnswerPage> => {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, tenant);
  const { answers, lastAnswerId } = await deps.answers.listByConversation(
    tenant.userId,
    query.conversationId,
    {
      limit: query.limit,
      ...(after ? { after } : {}),
    },
  );
  const own = answers.filter((answer) => belongsTo(answer, tenant));
  if (own.length === 0 && after === undefined) throw new ConversationNotFoundError();
  const settled = await Promise.all(own.map((answer) => settleOnRead(deps, answer)));
  return {
    conversationId: query.conversationId,
    answers: settled.map(toAnswerView),
    ...(lastAnswerId ? { nextCursor: encodeCursor(lastAnswerId) } : {}),
  };
};
