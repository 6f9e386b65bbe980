import type { TenantContext } from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import { BadRequestError } from '../errors';
import { parseQuery } from '../http/query';
import type { AnswersRepository, ConversationPosition } from '../ports';

export const DEFAULT_CONVERSATION_PAGE_SIZE = 20;
export const MAX_CONVERSATION_PAGE_SIZE = 50;

/** Query of `GET /conversations`. */
export const listConversationsQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CONVERSATION_PAGE_SIZE)
    .default(DEFAULT_CONVERSATION_PAGE_SIZE),
  cursor: z.string().min(1).max(512).optional(),
});
export type ListConversationsQuery = z.output<typeof listConversationsQuerySchema>;

/** Validates the query string of `GET /conversations` (400 with details when invalid). */
export const parseListConversationsQuery = (query: unknown): ListConversationsQuery =>
  parseQuery(listConversationsQuerySchema, query);

const positionSchema = z.object({
  conversationId: z.string().min(1).max(63),
  lastPromptAt: z.iso.datetime(),
});

/** An opaque page cursor: where the page ended (never a user id: the caller's own is used). */
export const encodeConversationCursor = (position: ConversationPosition): string =>
  Buffer.from(
    JSON.stringify({ conversationId: position.conversationId, lastPromptAt: position.lastPromptAt }),
  ).toString('base64url');

const decodeConversationCursor = (cursor: string): ConversationPosition => {
  try {
    return positionSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (error) {
    throw new BadRequestError('Invalid cursor', { code: 'INVALID_CURSOR', cause: error });
  }
};

/** One entry of `GET /conversations`. */
export interface ConversationView {
  conversationId: string;
  /** The conversation's first prompt (cut to 200 characters). */
  title: string;
  createdAt: string;
  lastPromptAt: string;
}

export interface ConversationPage {
  conversations: ConversationView[];
  /** Pass as `cursor` to read the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * The caller's own conversations, the one with the most recent prompt first, one page at a time.
 * Only the caller's partition is ever read, and a cursor holds no user id: another user's
 * conversation cannot be listed.
 *
 * @example const page = await listConversations(deps, event.tenant, { limit: 20 });
 */
export const listConversations = async (
  deps: { answers: AnswersRepository },
  tenant: TenantContext,
  query: ListConversationsQuery,
): Promise<ConversationPage> => {
  const after = query.cursor === undefined ? undefined : decodeConversationCursor(query.cursor);
  const { conversations, last } = await deps.answers.listConversations(tenant.userId, {
    limit: query.limit,
    ...(after ? { after } : {}),
  });
  return {
    conversations: conversations
      .filter((conversation) => conversation.tenantId === tenant.tenantId)
      .map(({ conversationId, title, createdAt, lastPromptAt }) => ({
        conversationId,
        title,
        createdAt,
        lastPromptAt,
      })),
    ...(last ? { nextCursor: encodeConversationCursor(last) } : {}),
  };
};
