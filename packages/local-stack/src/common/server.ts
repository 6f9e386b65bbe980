import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { requestId } from './ids';
import { type ListenOptions, type LocalEndpoint, listen, trackConnections } from './net';

type Response = ServerResponse | Http2ServerResponse;

/** Answers a request its handler failed on, if nothing was sent yet; else ends what was sent. */
const answerCrash = <Res extends Response>(
  res: Res,
  error: unknown,
  onCrash?: (res: Res, error: Error) => void,
) => {
  if (res.headersSent) {
    res.end();
    return;
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  if (onCrash) onCrash(res, failure);
  else {
    res.writeHead(500);
    res.end();
  }
};

type Handler<Req, Res> = (req: Req, res: Res) => Promise<void>;

/**
 * The skeleton every local stand-in shares: one request handler, an HTTP server on loopback only,
 * open connections tracked so `close()` does not wait for idle keep-alive sockets, and a handler
 * that throws answered with `onCrash` (default: a bare 500) instead of a hanging request.
 */
const standInServing =
  <Req, Res extends Response>(
    createServer: (listener: (req: Req, res: Res) => void) => Parameters<typeof listen>[0],
  ) =>
  async (
    options: ListenOptions,
    handle: Handler<Req, Res>,
    onCrash?: (res: Res, error: Error) => void,
  ): Promise<LocalEndpoint> => {
    const server = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => answerCrash(res, error, onCrash));
    });
    const close = trackConnections(server);
    const { url } = await listen(server, options);
    return { url, close };
  };

/** The skeleton over HTTP/1.1. */
export const serveStandIn = standInServing<IncomingMessage, ServerResponse>(createHttpServer);

/** The same skeleton over cleartext HTTP/2 (what the AWS SDK speaks to some services). */
export const serveStandInHttp2 = standInServing<Http2ServerRequest, Http2ServerResponse>(createHttp2Server);

/** Writes an AWS JSON-protocol answer (`{"__type": …, "message": …}` for errors). */
export const sendAwsJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/x-amz-json-1.0',
  headers: Record<string, string> = {},
) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'x-amzn-requestid': requestId(),
    ...headers,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

/** A refusal of a JSON-protocol stand-in, answered as `{"__type": type, "message": message}`. */
export class AwsJsonFault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON request body (an empty one is `{}`), or `{ ok: false }` when it is not JSON. */
export const parseJson = (raw: Buffer): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8') || '{}') };
  } catch {
    return { ok: false };
  }
};

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON request body as an object, or undefined when it is not JSON or not an object. */
export const parseJsonObject = (raw: Buffer): Record<string, unknown> | undefined => {
  const parsed = parseJson(raw);
  return parsed.ok && isJsonObject(parsed.value) ? parsed.value : undefined;
};

/** What a SigV4-verified request is made of (for `authenticateCaller`). */
export const signedRequestOf = (req: IncomingMessage | Http2ServerRequest, body: Buffer) => ({
  method: req.method ?? 'POST',
  url: req.url ?? '/',
  headers: req.headers,
  body,
});
