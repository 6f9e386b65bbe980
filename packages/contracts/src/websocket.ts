import * as z from 'zod';

/**
 * The messages chat-api pushes over the WebSocket, one answer each. A chunk is best-effort progress
 * (`seq` its position, `delta` its text; pushes may arrive out of order or not at all: the client
 * joins them in `seq` order); the completion carries the whole text and is authoritative.
 */
export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('answer.chunk'),
    answerId: z.string().min(1),
    /** This chunk's position (0, 1, 2, …). */
    seq: z.number().int().min(0),
    /** This chunk's text. */
    delta: z.string(),
  }),
  z.object({ type: z.literal('answer.completed'), answerId: z.string().min(1), text: z.string() }),
  z.object({ type: z.literal('answer.failed'), answerId: z.string().min(1), reason: z.string() }),
]);

/** A message as a reader parses it. */
export type ReceivedServerMessage = z.output<typeof serverMessageSchema>;

/** A message as chat-api sends it. */
export type ServerMessage<Id extends string = string> =
  | { type: 'answer.chunk'; answerId: Id; seq: number; delta: string }
  | { type: 'answer.completed'; answerId: Id; text: string }
  | { type: 'answer.failed'; answerId: Id; reason: string };

/** The `type`s of server messages. */
export type ServerMessageType = ServerMessage['type'];

/**
 * Parses one WebSocket frame; undefined for anything that is not a known answer message (unknown
 * types, bad JSON and binary frames are ignored, never shown).
 */
export const parseServerMessage = (data: unknown): ReceivedServerMessage | undefined => {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = serverMessageSchema.safeParse(value);
  return result.success ? result.data : undefined;
};
