import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendAwsJson } from '../common/server';
import type { TableSettings } from './table-settings';

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
  /** `onStatus` hears DynamoDB Local's status code before the answer streams back. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    onStatus?: (status: number) => void,
  ) => {
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
        onStatus?.(response.statusCode ?? 502);
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

/**
 * Sends an allowed request on to DynamoDB Local — except the operations it lacks, which are
 * answered from the table settings (`table-settings.ts`); a CreateTable or DeleteTable that DynamoDB
 * Local accepts updates them.
 */
export const deliver = async (
  {
    req,
    res,
    body,
    operation,
    payload = {},
  }: {
    req: IncomingMessage;
    res: ServerResponse;
    body: Buffer;
    operation: string;
    /** The body as parsed by the gateway (none when it is not a JSON object). */
    payload: Record<string, unknown> | undefined;
  },
  to: {
    upstream: ReturnType<typeof forwarder>;
    settings: TableSettings;
    tableExists: (table: string) => Promise<boolean>;
    sendError: (res: ServerResponse, status: number, type: string, message: string) => void;
  },
) => {
  if (to.settings.answers(operation)) {
    const answer = await to.settings.answer(operation, payload, to.tableExists);
    if (answer.ok) sendAwsJson(res, 200, answer.body);
    else to.sendError(res, 400, answer.type, answer.message);
    return;
  }
  const change =
    operation === 'CreateTable'
      ? to.settings.created
      : operation === 'DeleteTable'
        ? to.settings.deleted
        : undefined;
  to.upstream.forward(req, res, body, change && ((status) => (status === 200 ? change(payload) : undefined)));
};
