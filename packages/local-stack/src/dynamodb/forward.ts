import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

const endToEnd = (headers: IncomingMessage['headers']) => {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
};

/**
 * Forwards requests unchanged to `target` and streams the answers back, over its own keep-alive
 * pool (destroyed by `close`, so no idle socket outlives the caller). `onUnreachable` answers when
 * the target cannot be reached before anything was sent.
 */
export const forwarder = (target: URL, onUnreachable: (res: ServerResponse, error: Error) => void) => {
  const agent = new Agent({ keepAlive: true });
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers = { ...endToEnd(req.headers), 'content-length': String(body.length) };
    const upstream = httpRequest(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, endToEnd(response.headers));
        response.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) onUnreachable(res, error);
      else res.destroy(error);
    });
    upstream.end(body);
  };
  return { forward, close: () => agent.destroy() };
};
