import * as z from 'zod';

/**
 * The messages chat-api pushes over the WebSocket, one answer each. chat-api sends every field;
 * a reader also accepts a chunk without `delta` (then `text` is that chunk's own piece).
 */
export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('answer.chunk'),
    answerId: z.string().min(1),
    /** Highest chunk applied so far. */
    seq: z.number().int().min(0),
    /** The whole answer so far (a client that missed a push catches up with it). */
    text: z.string(),
    /** Text this push adds to the answer. */
    delta: z.string().optional(),
  }),
  z.object({ type: z.literal('answer.completed'), answerId: z.string().min(1), text: z.string() }),
  z.object({ type: z.literal('answer.failed'), answerId: z.string().min(1), reason: z.string() }),
]);

/** A message as a reader parses it. */
export type ReceivedServerMessage = z.output<typeof serverMessageSchema>;

/** A message as chat-api sends it (a chunk always carries `delta`). */
export type ServerMessage<Id extends string = string> =
  | { type: 'answer.chunk'; answerId: Id; seq: number; delta: string; text: string }
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
