import * as z from 'zod';

/** Longest prompt accepted anywhere (characters). */
export const MAX_PROMPT_LENGTH = 4000;

/**
 * Conversation ids: URL-safe, 1–63 characters (chat-api generates ULIDs), so `<sub>.<conversationId>`
 * fits Bedrock's 100-character session id.
 */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,63}$/;

/** zod schema of a conversation id. @example conversationIdSchema.parse('01JD8X3Q4R5S6T7V8W9XYZ0CNV') */
export const conversationIdSchema = z
  .string()
  .regex(CONVERSATION_ID_PATTERN, 'must be 1-63 of [A-Za-z0-9_-]');
