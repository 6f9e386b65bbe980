import { type AnswerId, isOwnedBy, type TenantContext } from '@tenant-assistant/tenant-context';
import { conversationIdSchema } from '@tenant-assistant/tenant-context/events';
import * as z from 'zod';
import { AnswerNotFoundError, BadRequestError } from '../errors';
import type { AnswersRepository } from '../ports';
import { type AnswerView, toAnswerView } from './model';
import { issuesOf } from './validation';

export interface ReadAnswersDeps {
  answers: AnswersRepository;
}

/**
 * The caller's answer. Another user's answer, another tenant's, a malformed id and a missing answer
 * all give the same AnswerNotFoundError (404): nothing reveals that someone else's answer exists.
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
  if (!answer || answer.tenantId !== tenant.tenantId) throw new AnswerNotFoundError();
  return toAnswerView(answer);
};

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Query of `GET /answers`. */
export const listAnswersQuerySchema = z.object({
  conversationId: conversationIdSchema,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(256).optional(),
});
export type ListAnswersQuery = z.output<typeof listAnswersQuerySchema>;

/** Validates the query string of `GET /answers` (400 with details when invalid). */
export const parseListAnswersQuery = (query: unknown): ListAnswersQuery => {
  const result = listAnswersQuerySchema.safeParse(query ?? {});
  if (!result.success) {
    throw new BadRequestError('The query is invalid', { details: issuesOf(result.error) });
  }
  return result.data;
};

/** An opaque page cursor: the last answer id of the page, base64url-encoded. */
export const encodeCursor = (answerId: AnswerId): string => Buffer.from(answerId).toString('base64url');

const decodeCursor = (cursor: string, tenant: TenantContext): AnswerId => {
  const answerId = Buffer.from(cursor, 'base64url').toString('utf8');
  // A cursor only ever points into the caller's own answers.
  if (!isOwnedBy(answerId, tenant.userId))
    throw new BadRequestError('Invalid cursor', { code: 'INVALID_CURSOR' });
  return answerId as AnswerId;
};

export interface AnswerPage {
  conversationId: string;
  answers: AnswerView[];
  /** Pass as `cursor` to read the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * The caller's answers in one conversation, oldest first (newest last), one page at a time.
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
  return {
    conversationId: query.conversationId,
    answers: answers.filter((answer) => answer.tenantId === tenant.tenantId).map(toAnswerView),
    ...(lastAnswerId ? { nextCursor: encodeCursor(lastAnswerId) } : {}),
  };
};
