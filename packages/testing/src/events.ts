import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyWebsocketEventV2,
  EventBridgeEvent,
} from 'aws-lambda';
import { randomUserId } from './ids';

const accountId = '123456789012';
const region = 'us-east-1';
const userAgent = 'tenant-assistant-tests/1.0';
const sourceIp = '203.0.113.10';

type JwtClaims = APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'];

const lowerCaseKeys = (record: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));

const decodeClaims = (token: string): JwtClaims => {
  try {
    const payload = token.split('.')[1] ?? '';
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return {};
  }
};

const requestTimes = (): { time: string; epoch: number } => {
  const now = new Date();
  const [day, month, year, clock] = now.toUTCString().slice(5, 25).split(' ');
  return { time: `${day}/${month}/${year}:${clock} +0000`, epoch: now.getTime() };
};

/**
 * An HTTP API (payload v2) event with a JWT authorizer. An object `body` becomes JSON, `token` becomes
 * `authorization: Bearer …`, and without `claims` the token's payload (unverified) becomes the authorizer claims.
 * @example const event = httpApiEvent({ method: 'POST', path: '/prompts', body: { prompt: 'hi' }, token });
 */
export const httpApiEvent = (
  opts: {
    method?: string;
    path?: string;
    routeKey?: string;
    body?: unknown;
    headers?: Record<string, string>;
    token?: string;
    claims?: Record<string, unknown>;
    pathParameters?: Record<string, string>;
    queryStringParameters?: Record<string, string>;
    isBase64Encoded?: boolean;
  } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const method = (opts.method ?? 'GET').toUpperCase();
  const path = opts.path ?? '/';
  const routeKey = opts.routeKey ?? `${method} ${path}`;
  const body =
    opts.body === undefined || typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const { time, epoch } = requestTimes();
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'api.example.test',
    'user-agent': userAgent,
    'x-forwarded-for': sourceIp,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': `${body.length}` }),
    ...(opts.token === undefined ? {} : { authorization: `Bearer ${opts.token}` }),
    ...lowerCaseKeys(opts.headers ?? {}),
  };
  const claims = (opts.claims as JwtClaims | undefined) ?? (opts.token ? decodeClaims(opts.token) : {});
  const scope = claims.scope;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(opts.queryStringParameters ?? {}).toString(),
    headers,
    ...(opts.queryStringParameters ? { queryStringParameters: opts.queryStringParameters } : {}),
    ...(opts.pathParameters ? { pathParameters: opts.pathParameters } : {}),
    requestContext: {
      accountId,
      apiId: 'testapi123',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims, scopes: typeof scope === 'string' ? scope.split(' ') : null },
      },
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time,
      timeEpoch: epoch,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: opts.isBase64Encoded ?? false,
  };
};

/** A WebSocket API event as the $connect and $disconnect routes receive it (headers and query included). */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & {
  queryStringParameters?: Record<string, string>;
  headers?: Record<string, string>;
};

const webSocketEvent = (
  routeKey: '$connect' | '$disconnect',
  eventType: 'CONNECT' | 'DISCONNECT',
  connectionId: string,
  headers: Record<string, string>,
): WebSocketEvent => {
  const { time, epoch } = requestTimes();
  return {
    headers: {
      host: 'ws.example.test',
      'user-agent': userAgent,
      'x-forwarded-for': sourceIp,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...headers,
    },
    requestContext: {
      routeKey,
      messageId: '',
      eventType,
      extendedRequestId: randomUUID(),
      requestTime: time,
      messageDirection: 'IN',
      stage: 'dev',
      connectedAt: epoch,
      requestTimeEpoch: epoch,
      requestId: randomUUID(),
      domainName: 'ws.example.test',
      connectionId,
      apiId: 'testws1234',
    },
    isBase64Encoded: false,
  };
};

const newConnectionId = (): string => `${randomUUID().replaceAll('-', '').slice(0, 14)}=`;

/**
 * A WebSocket `$connect` event; `token` goes to the `?token=` query parameter as the browser sends it.
 * @example const event = webSocketConnectEvent({ token: await issuer.idToken({ tenantId: 'tenant-a' }) });
 */
export const webSocketConnectEvent = (
  opts: {
    connectionId?: string;
    token?: string;
    queryStringParameters?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): WebSocketEvent => {
  const queryStringParameters = {
    ...opts.queryStringParameters,
    ...(opts.token === undefined ? {} : { token: opts.token }),
  };
  return {
    ...webSocketEvent(
      '$connect',
      'CONNECT',
      opts.connectionId ?? newConnectionId(),
      lowerCaseKeys(opts.headers ?? {}),
    ),
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
  };
};

/**
 * A WebSocket `$disconnect` event for `connectionId`.
 * @example const event = webSocketDisconnectEvent({ connectionId: connect.requestContext.connectionId });
 */
export const webSocketDisconnectEvent = (opts: { connectionId?: string } = {}): WebSocketEvent =>
  webSocketEvent('$disconnect', 'DISCONNECT', opts.connectionId ?? newConnectionId(), {});

/**
 * An EventBridge event as a Lambda target receives it. `eventBusName` is accepted for symmetry with
 * PutEvents entries but, as in AWS, does not appear on the delivered event.
 * @example const event = eventBridgeEvent({ detailType: 'PromptSubmitted', source: 'tenant-assistant.chat-api', detail });
 */
export const eventBridgeEvent = <T>(opts: {
  detailType: string;
  source: string;
  detail: T;
  eventBusName?: string;
  id?: string;
  time?: string;
}): EventBridgeEvent<string, T> => ({
  version: '0',
  id: opts.id ?? randomUUID(),
  'detail-type': opts.detailType,
  source: opts.source,
  account: accountId,
  time: opts.time ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region,
  resources: [],
  detail: opts.detail,
});

/** The input envelope Bedrock Agents send to a function-details action group Lambda. */
export interface BedrockActionGroupEvent {
  messageVersion: '1.0';
  agent: { name: string; id: string; alias: string; version: string };
  inputText: string;
  sessionId: string;
  actionGroup: string;
  function: string;
  parameters: { name: string; type: string; value: string }[];
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

const toParameters = (
  parameters: Record<string, string | number> | { name: string; type: string; value: string }[],
): BedrockActionGroupEvent['parameters'] =>
  Array.isArray(parameters)
    ? parameters
    : Object.entries(parameters).map(([name, value]) => ({
        name,
        type: typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : 'string',
        value: String(value),
      }));

/**
 * A Bedrock action group (function details) event; a parameters record becomes `[{ name, type, value }]`
 * with `value` always a string, as Bedrock sends it.
 * @example const event = bedrockActionGroupEvent({ function: 'getOrder', parameters: { orderId: 'o-1' },
 *   sessionAttributes: { tenantId: 'tenant-a', userId } });
 */
export const bedrockActionGroupEvent = (opts: {
  function: string;
  parameters?: Record<string, string | number> | { name: string; type: string; value: string }[];
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
  inputText?: string;
  actionGroup?: string;
  sessionId?: string;
}): BedrockActionGroupEvent => ({
  messageVersion: '1.0',
  agent: { name: 'tenant-assistant-agent', id: 'TESTAGENT1', alias: 'TSTALIASID', version: 'DRAFT' },
  inputText: opts.inputText ?? 'What is the status of my order?',
  sessionId: opts.sessionId ?? `${opts.sessionAttributes?.userId ?? randomUserId()}.${randomUUID()}`,
  actionGroup: opts.actionGroup ?? 'order-actions',
  function: opts.function,
  parameters: toParameters(opts.parameters ?? []),
  sessionAttributes: opts.sessionAttributes ?? {},
  promptSessionAttributes: opts.promptSessionAttributes ?? {},
});
