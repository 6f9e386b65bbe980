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

/** Longest answer text an `AnswerCompleted` may carry, and chat-api may store (characters). */
export const MAX_ANSWER_LENGTH = 20_000;

/** Longest text of one `AnswerChunk` (characters). */
export const MAX_CHUNK_LENGTH = 2_000;

/** Chunks per answer: `seq` runs from 0 to MAX_CHUNKS_PER_ANSWER - 1 (later progress goes only in the completion). */
export const MAX_CHUNKS_PER_ANSWER = 1_000;
