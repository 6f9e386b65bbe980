import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Http2Server, Http2ServerRequest, ServerHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { LoopbackOnlyError } from '../errors';

/** What every stand-in returns once it listens. */
export interface LocalEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:4566`. Use it as the SDK client's `endpoint`. */
  readonly url: string;
  /** Stops the stand-in and releases its port (and child processes). Safe to call twice. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Loopback address to bind; only `127.0.0.1`, `::1` or `localhost` are accepted. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one (see the returned `url`). */
  port?: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** The stand-ins authenticate nothing like AWS does: they must never be reachable from another machine. */
export const assertLoopback = (host: string): string => {
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new LoopbackOnlyError(
      `Local stand-ins listen on loopback only (127.0.0.1, ::1 or localhost), not on "${host}"`,
    );
  }
  return host;
};

export const urlFor = (host: string, port: number): string =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Listens on a loopback address and resolves with the actual port. */
export const listen = (server: HttpServer | Http2Server, options: ListenOptions, defaultPort = 0) => {
  const host = assertLoopback(options.host ?? '127.0.0.1');
  const port = options.port ?? defaultPort;
  return new Promise<{ host: string; port: number; url: string }>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const actual = (server.address() as AddressInfo).port;
      resolve({ host, port: actual, url: urlFor(host, actual) });
    });
  });
};

/**
 * Tracks open sockets/sessions so that `close()` does not wait for idle keep-alive connections of
 * SDK clients (which would keep a test run alive for minutes).
 */
export const trackConnections = (server: HttpServer | Http2Server) => {
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  let closing: Promise<void> | undefined;
  return (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
};

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Reads a whole request body, refusing more than `limit` bytes. */
export const readBody = (
  source: IncomingMessage | Http2ServerRequest | NodeJS.ReadableStream,
  limit: number,
): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const req = source as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer | string) => {
      if (failed) return;
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(`Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(buffer);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
