import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requestId } from '../common/ids';
import {
  BodyTooLargeError,
  type ListenOptions,
  type LocalEndpoint,
  listen,
  readBody,
  trackConnections,
} from '../common/net';
import { parseAuthorizationHeader, verifySignature } from '../common/sigv4';
import { authorize, denialMessage } from '../iam/evaluate';
import { LOCAL_ACCOUNT_ID, type RoleRegistry } from '../iam/types';
import type { SessionStore, StsSession } from '../sts/session-store';
import {
  type AccessCheck,
  accessChecksFor,
  DynamoDbRequestFault,
  isPartiQl,
  KNOWN_OPERATIONS,
  type TableKeySchema,
} from './authorization';
import { createTableSettings } from './table-settings';

export interface AdminCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface DynamoDbIamGatewayOptions extends ListenOptions {
  /** DynamoDB Local's URL (requests that pass are forwarded there unchanged). */
  target: string;
  /** Sessions minted by the STS stand-in (`sts.sessions`). */
  sessions: SessionStore;
  /** Roles with their identity policies, by ARN (the same registry the STS stand-in uses). */
  roles: RoleRegistry;
  /**
   * Keys that bypass IAM evaluation (signatures are still verified): for seeding, and for services
   * whose own Lambda roles the local stack does not model. DynamoDB Local only accepts access key ids
   * made of letters and digits.
   */
  adminCredentials?: AdminCredentials | readonly AdminCredentials[];
  /** Account of the tables (default `000000000000`). The region comes from each request's signature. */
  accountId?: string;
  /** Clock (for expiry tests). */
  now?: () => Date;
  /** How many decisions `decisions()` keeps (default 500). */
  decisionLogSize?: number;
  /**
   * Where the tables' tags and point-in-time-recovery settings are kept across restarts (answered
   * by the gateway: DynamoDB Local lacks them, see `table-settings.ts`); default: in memory only.
   */
  tableSettingsFile?: string;
}

export interface GatewayDecision {
  time: Date;
  operation: string;
  principal: string;
  allowed: boolean;
  /** `admin` for admin keys, `iam` when evaluated, `refused` when refused before evaluation. */
  via: 'admin' | 'iam' | 'refused';
  checks: AccessCheck[];
  /** Error type sent back, when not allowed. */
  errorType?: string;
  message?: string;
  /** The STS session's tags (`tenantId`, `userId`), for requests signed with session credentials. */
  sessionTags?: Readonly<Record<string, string>>;
}

export interface DynamoDbIamGateway extends LocalEndpoint {
  /** Most recent decisions, oldest first (for tests and for debugging a refusal). */
  decisions(): readonly GatewayDecision[];
  /**
   * Calls `listener` with every decision from now on (none is dropped, unlike `decisions()`); returns
   * the function that stops it. For tests that count what a whole run asked for and what IAM refused.
   */
  onDecision(listener: (decision: GatewayDecision) => void): () => void;
  /** Forgets cached key schemas (they are also dropped when a table is created/updated/deleted through the gateway). */
  clearSchemaCache(): void;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const MAX_BODY = 16 * 1024 * 1024;

const CORAL = 'com.amazon.coral.service#';
const ERROR_TYPES: Record<string, string> = {
  MissingAuthenticationTokenException: `${CORAL}MissingAuthenticationTokenException`,
  IncompleteSignatureException: `${CORAL}IncompleteSignatureException`,
  InvalidSignatureException: `${CORAL}InvalidSignatureException`,
  UnrecognizedClientException: `${CORAL}UnrecognizedClientException`,
  ExpiredTokenException: `${CORAL}ExpiredTokenException`,
  AccessDeniedException: `${CORAL}AccessDeniedException`,
  UnknownOperationException: `${CORAL}UnknownOperationException`,
  SerializationException: `${CORAL}SerializationException`,
  ValidationException: 'com.amazon.coral.validate#ValidationException',
  ResourceNotFoundException: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
  TableNotFoundException: 'com.amazonaws.dynamodb.v20120810#TableNotFoundException',
  LimitExceededException: 'com.amazonaws.dynamodb.v20120810#LimitExceededException',
  InternalServerError: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
};

/** The request's JSON object, or `{}` (admin requests go on unparsed; DynamoDB Local judges them). */
const parsedOrEmpty = (body: Buffer): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
};

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

/**
 * Local stand-in for IAM in front of DynamoDB Local. Every request must be SigV4-signed by a session
 * from the STS stand-in (or an admin key); the gateway verifies the signature with the session's
 * secret, derives action, resource ARN and `dynamodb:LeadingKeys` from the request, and evaluates the
 * role's identity policies plus the session policy with the session tags as `aws:PrincipalTag/*`.
 * Refusals are answered like DynamoDB does; allowed requests go to DynamoDB Local unchanged.
 */
export const startDynamoDbIamGateway = async (
  options: DynamoDbIamGatewayOptions,
): Promise<DynamoDbIamGateway> => {
  const now = options.now ?? (() => new Date());
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const target = new URL(options.target);
  const admins = new Map(
    (Array.isArray(options.adminCredentials)
      ? options.adminCredentials
      : options.adminCredentials
        ? [options.adminCredentials]
        : []
    ).map((c: AdminCredentials) => [c.accessKeyId, c]),
  );
  const firstAdmin = [...admins.values()][0];
  const describer = new DynamoDBClient({
    endpoint: options.target,
    region: 'us-east-1',
    credentials: {
      accessKeyId: firstAdmin?.accessKeyId ?? 'localstackgateway',
      secretAccessKey: firstAdmin?.secretAccessKey ?? 'localstackgateway',
    },
    maxAttempts: 2,
  });
  // Own keep-alive pool to DynamoDB Local, destroyed on close so no idle socket outlives the gateway.
  const upstreamAgent = new Agent({ keepAlive: true });
  const schemas = new Map<string, Promise<TableKeySchema | undefined>>();
  const tableSettings = createTableSettings({
    ...(options.tableSettingsFile ? { file: options.tableSettingsFile } : {}),
    now,
  });
  const log: GatewayDecision[] = [];
  const logSize = options.decisionLogSize ?? 500;

  const listeners = new Set<(decision: GatewayDecision) => void>();
  const record = (decision: GatewayDecision) => {
    log.push(decision);
    if (log.length > logSize) log.shift();
    for (const listener of listeners) listener(decision);
  };

  const schemaOf = (tableName: string): Promise<TableKeySchema | undefined> => {
    let cached = schemas.get(tableName);
    if (!cached) {
      cached = describer.send(new DescribeTableCommand({ TableName: tableName })).then(
        ({ Table }) => {
          const hashOf = (keys: { AttributeName?: string; KeyType?: string }[] | undefined) =>
            keys?.find((k) => k.KeyType === 'HASH')?.AttributeName;
          const partitionKey = hashOf(Table?.KeySchema);
          if (!partitionKey) return undefined;
          const indexPartitionKeys: Record<string, string> = {};
          for (const index of Table?.GlobalSecondaryIndexes ?? []) {
            const key = hashOf(index.KeySchema);
            if (index.IndexName && key) indexPartitionKeys[index.IndexName] = key;
          }
          for (const index of Table?.LocalSecondaryIndexes ?? []) {
            if (index.IndexName) indexPartitionKeys[index.IndexName] = partitionKey;
          }
          return { partitionKey, indexPartitionKeys };
        },
        (error: Error) => {
          if (error.name === 'ResourceNotFoundException') return undefined;
          throw error;
        },
      );
      schemas.set(tableName, cached);
      // Misses and failures are not cached: the table may be created a moment later.
      cached.then(
        (schema) => {
          if (!schema) schemas.delete(tableName);
        },
        () => schemas.delete(tableName),
      );
    }
    return cached;
  };

  const sendError = (
    res: ServerResponse,
    status: number,
    type: string,
    message: string,
    capitalMessage = false,
  ) => {
    const body = JSON.stringify({
      __type: ERROR_TYPES[type] ?? type,
      [capitalMessage ? 'Message' : 'message']: message,
    });
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId(),
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    onStatus?: (status: number) => void,
  ) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers['content-length'] = String(body.length);
    const upstream = httpRequest(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: upstreamAgent,
      },
      (response) => {
        const responseHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
        }
        res.writeHead(response.statusCode ?? 502, responseHeaders);
        onStatus?.(response.statusCode ?? 502);
        response.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        sendError(
          res,
          500,
          'InternalServerError',
          `The local DynamoDB gateway cannot reach DynamoDB Local: ${error.message}`,
        );
      } else {
        res.destroy(error);
      }
    });
    upstream.end(body);
  };

  /**
   * Sends an allowed request on: the operations DynamoDB Local lacks are answered from the table
   * settings; a CreateTable or DeleteTable that DynamoDB Local accepts updates them.
   */
  const deliver = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    operation: string,
    payload: Record<string, unknown>,
  ) => {
    if (tableSettings.answers(operation)) {
      const answer = await tableSettings.answer(
        operation,
        payload,
        async (table) => (await schemaOf(table)) !== undefined,
      );
      if (!answer.ok) {
        sendError(res, 400, answer.type, answer.message);
        return;
      }
      const json = JSON.stringify(answer.body);
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId(),
        'content-length': Buffer.byteLength(json),
      });
      res.end(json);
      return;
    }
    const settingsChange =
      operation === 'CreateTable'
        ? tableSettings.created
        : operation === 'DeleteTable'
          ? tableSettings.deleted
          : undefined;
    forward(
      req,
      res,
      body,
      settingsChange && ((status) => (status === 200 ? settingsChange(payload) : undefined)),
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, 'ValidationException', 'Request size exceeded the limit of 16 MB');
      } else {
        res.destroy();
      }
      return;
    }
    const operationHeader = String(req.headers['x-amz-target'] ?? '');
    const operation = operationHeader.startsWith(TARGET_PREFIX)
      ? operationHeader.slice(TARGET_PREFIX.length)
      : operationHeader;
    const refuse = (
      status: number,
      type: string,
      message: string,
      principal = 'unknown',
      capital = false,
    ) => {
      record({
        time: now(),
        operation,
        principal,
        allowed: false,
        via: 'refused',
        checks: [],
        errorType: type,
        message,
      });
      sendError(res, status, type, message, capital);
    };

    // 1. Authentication: who signed this, and is the signature right?
    const header = req.headers.authorization;
    if (!header) {
      refuse(400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      return;
    }
    const auth = parseAuthorizationHeader(header);
    if (!auth) {
      refuse(
        400,
        'IncompleteSignatureException',
        `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
      );
      return;
    }
    const admin = admins.get(auth.accessKeyId);
    const session: StsSession | undefined = admin ? undefined : options.sessions.get(auth.accessKeyId);
    if (!admin && !session) {
      refuse(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      return;
    }
    if (session && req.headers['x-amz-security-token'] !== session.sessionToken) {
      refuse(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      return;
    }
    const principal = session ? session.assumedRoleArn : `admin:${auth.accessKeyId}`;
    if (session && session.expiration.getTime() <= now().getTime()) {
      refuse(
        400,
        'ExpiredTokenException',
        'The security token included in the request is expired',
        principal,
      );
      return;
    }
    const failure = await verifySignature(
      { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
      auth,
      {
        accessKeyId: auth.accessKeyId,
        secretAccessKey: (admin?.secretAccessKey ?? session?.secretAccessKey) as string,
      },
      now(),
    );
    if (failure) {
      refuse(
        400,
        failure.code === 'IncompleteSignature' ? 'IncompleteSignatureException' : 'InvalidSignatureException',
        failure.message,
        principal,
      );
      return;
    }

    // 2. Operation and payload.
    if (!operationHeader.startsWith(TARGET_PREFIX) || !KNOWN_OPERATIONS.has(operation)) {
      refuse(400, 'UnknownOperationException', '', principal);
      return;
    }
    if (admin) {
      if (operation === 'CreateTable' || operation === 'DeleteTable' || operation === 'UpdateTable')
        schemas.clear();
      record({ time: now(), operation, principal, allowed: true, via: 'admin', checks: [] });
      await deliver(req, res, body, operation, parsedOrEmpty(body));
      return;
    }
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      payload = parsed as Record<string, unknown>;
    } catch {
      refuse(400, 'SerializationException', 'Start of structure or map found where not expected', principal);
      return;
    }

    // 3. Authorization, like IAM: every check must be allowed.
    const activeSession = session as StsSession;
    let checks: AccessCheck[];
    try {
      if (isPartiQl(operation)) {
        const check = { action: `dynamodb:${operation}`, resourceArn: '*' };
        const message = denialMessage(
          {
            principalArn: principal,
            action: check.action,
            resourceArn: '*',
            resourceAccountId: accountId,
            context: {},
          },
          'evaluation-error',
          'PartiQL requests from role sessions are not modelled by the local gateway',
        );
        record({
          time: now(),
          operation,
          principal,
          allowed: false,
          via: 'iam',
          checks: [check],
          errorType: 'AccessDeniedException',
          message,
        });
        sendError(res, 400, 'AccessDeniedException', message, true);
        return;
      }
      checks = await accessChecksFor(operation, payload, { region: auth.region, accountId, schemaOf });
    } catch (error) {
      if (error instanceof DynamoDbRequestFault) {
        refuse(400, error.type, error.message, principal);
      } else {
        refuse(
          500,
          'InternalServerError',
          `The local DynamoDB gateway failed: ${(error as Error).message}`,
          principal,
        );
      }
      return;
    }
    const role = options.roles[activeSession.roleArn];
    const context: Record<string, string | string[]> = {
      'aws:PrincipalArn': activeSession.roleArn,
      'aws:PrincipalAccount': activeSession.accountId,
      'aws:PrincipalType': 'AssumedRole',
      'aws:userid': activeSession.assumedRoleId,
      'aws:SecureTransport': 'true',
      'aws:CurrentTime': now().toISOString(),
      'aws:EpochTime': String(Math.floor(now().getTime() / 1000)),
      'aws:TokenIssueTime': activeSession.issuedAt.toISOString(),
      'aws:RequestedRegion': auth.region,
    };
    for (const [key, value] of Object.entries(activeSession.tags)) context[`aws:PrincipalTag/${key}`] = value;
    for (const check of checks) {
      const request = {
        principalArn: principal,
        action: check.action,
        resourceArn: check.resourceArn,
        resourceAccountId: accountId,
        context: check.leadingKeys ? { ...context, 'dynamodb:LeadingKeys': check.leadingKeys } : context,
      };
      const decision = await authorize(request, {
        identityPolicies: role?.policies ?? [],
        sessionPolicy: activeSession.sessionPolicy,
      });
      if (!decision.allowed) {
        record({
          time: now(),
          operation,
          principal,
          allowed: false,
          via: 'iam',
          checks,
          errorType: 'AccessDeniedException',
          message: decision.message,
          sessionTags: activeSession.tags,
        });
        sendError(res, 400, 'AccessDeniedException', decision.message, true);
        return;
      }
    }
    record({
      time: now(),
      operation,
      principal,
      allowed: true,
      via: 'iam',
      checks,
      sessionTags: activeSession.tags,
    });
    await deliver(req, res, body, operation, payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent)
        sendError(res, 500, 'InternalServerError', `The local DynamoDB gateway failed: ${error.message}`);
    });
  });
  const closeServer = trackConnections(server);
  const { url } = await listen(server, options);
  return {
    url,
    decisions: () => [...log],
    onDecision: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clearSchemaCache: () => schemas.clear(),
    close: async () => {
      describer.destroy();
      await closeServer();
      upstreamAgent.destroy();
    },
  };
};
