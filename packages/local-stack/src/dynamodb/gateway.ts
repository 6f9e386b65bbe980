import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AuthenticatedCaller,
  AuthenticationFault,
  authenticateCaller,
  type CallerDirectory,
  sessionContext,
} from '../common/caller';
import { BodyTooLargeError, type ListenOptions, type LocalEndpoint, readBody } from '../common/net';
import { parseJsonObject, sendAwsJson, serveStandIn, signedRequestOf } from '../common/server';
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
import { deliver, forwarder } from './forward';
import { tableSchemaCache } from './table-schemas';
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

/** Answers like DynamoDB: `__type` and `message` (`Message` for AccessDeniedException). */
const sendError = (res: ServerResponse, status: number, type: string, message: string, capital = false) =>
  sendAwsJson(res, status, { __type: ERROR_TYPES[type] ?? type, [capital ? 'Message' : 'message']: message });

/** A request the gateway refuses; `via: 'iam'` when IAM evaluation refused it. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly principal = 'unknown',
    readonly evaluated?: { checks: AccessCheck[]; sessionTags?: Readonly<Record<string, string>> },
  ) {
    super(message);
  }
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  operation: string;
  /** The body parsed once, when it is a JSON object. */
  payload: Record<string, unknown> | undefined;
}

const adminKeysOf = (credentials: DynamoDbIamGatewayOptions['adminCredentials']): AdminCredentials[] =>
  Array.isArray(credentials) ? [...credentials] : credentials ? [credentials as AdminCredentials] : [];

/** A client for DescribeTable (key schemas), signed with the first admin key. */
const describerFor = (target: string, admin: AdminCredentials | undefined) =>
  new DynamoDBClient({
    endpoint: target,
    region: 'us-east-1',
    credentials: {
      accessKeyId: admin?.accessKeyId ?? 'localstackgateway',
      secretAccessKey: admin?.secretAccessKey ?? 'localstackgateway',
    },
    maxAttempts: 2,
  });

/** 1. Who signed this, and is the signature right? (the shared caller authentication) */
const authenticate = async (exchange: Exchange, directory: CallerDirectory) => {
  try {
    return await authenticateCaller(signedRequestOf(exchange.req, exchange.body), directory);
  } catch (error) {
    if (!(error instanceof AuthenticationFault)) throw error;
    throw new Refusal(400, error.code, error.message, error.principalArn);
  }
};

/** 2. The operation must be one DynamoDB has, and the payload a JSON object. */
const checkOperation = (exchange: Exchange, header: string, principal: string) => {
  if (!header.startsWith(TARGET_PREFIX) || !KNOWN_OPERATIONS.has(exchange.operation)) {
    throw new Refusal(400, 'UnknownOperationException', '', principal);
  }
};

const payloadOf = (exchange: Exchange, principal: string): Record<string, unknown> => {
  const { payload } = exchange;
  if (!payload) {
    throw new Refusal(
      400,
      'SerializationException',
      'Start of structure or map found where not expected',
      principal,
    );
  }
  return payload;
};

/** PartiQL is refused for role sessions: its statements name no key the gateway could check. */
const refusePartiQl = (operation: string, principal: string, accountId: string): never => {
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
  throw new Refusal(400, 'AccessDeniedException', message, principal, { checks: [check] });
};

interface Evaluation {
  roles: RoleRegistry;
  accountId: string;
  now: () => Date;
  schemaOf: (tableName: string) => Promise<TableKeySchema | undefined>;
}

/** 3. What the request touches: one access check per action and resource (with its leading keys). */
const accessChecks = async (
  exchange: Exchange,
  caller: AuthenticatedCaller,
  evaluation: Evaluation,
): Promise<AccessCheck[]> => {
  const { operation } = exchange;
  const payload = payloadOf(exchange, caller.principalArn);
  if (isPartiQl(operation)) refusePartiQl(operation, caller.principalArn, evaluation.accountId);
  try {
    return await accessChecksFor(operation, payload, {
      region: caller.region,
      accountId: evaluation.accountId,
      schemaOf: evaluation.schemaOf,
    });
  } catch (error) {
    if (error instanceof DynamoDbRequestFault) {
      throw new Refusal(400, error.type, error.message, caller.principalArn);
    }
    const message = `The local DynamoDB gateway failed: ${(error as Error).message}`;
    throw new Refusal(500, 'InternalServerError', message, caller.principalArn);
  }
};

/** 4. Authorization, like IAM: the role's policies and the session policy must allow every check. */
const evaluate = async (
  session: StsSession,
  region: string,
  checks: AccessCheck[],
  evaluation: Evaluation,
): Promise<void> => {
  const context = sessionContext(session, region, evaluation.now());
  const policies = {
    identityPolicies: evaluation.roles[session.roleArn]?.policies ?? [],
    sessionPolicy: session.sessionPolicy,
  };
  for (const check of checks) {
    const request = {
      principalArn: session.assumedRoleArn,
      action: check.action,
      resourceArn: check.resourceArn,
      resourceAccountId: evaluation.accountId,
      context: check.leadingKeys ? { ...context, 'dynamodb:LeadingKeys': check.leadingKeys } : context,
    };
    const decision = await authorize(request, policies);
    if (!decision.allowed) {
      throw new Refusal(400, 'AccessDeniedException', decision.message, session.assumedRoleArn, {
        checks,
        sessionTags: session.tags,
      });
    }
  }
};

/** The decision log: the most recent decisions, and every one to the listeners. */
const decisionLog = (size: number) => {
  const log: GatewayDecision[] = [];
  const listeners = new Set<(decision: GatewayDecision) => void>();
  return {
    record: (decision: GatewayDecision) => {
      log.push(decision);
      if (log.length > size) log.shift();
      for (const listener of listeners) listener(decision);
    },
    decisions: () => [...log],
    onDecision: (listener: (decision: GatewayDecision) => void) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
};

const refusalDecision = (refusal: Refusal, operation: string, time: Date): GatewayDecision => ({
  time,
  operation,
  principal: refusal.principal,
  allowed: false,
  via: refusal.evaluated ? 'iam' : 'refused',
  checks: refusal.evaluated?.checks ?? [],
  errorType: refusal.type,
  message: refusal.message,
  ...(refusal.evaluated?.sessionTags ? { sessionTags: refusal.evaluated.sessionTags } : {}),
});

/**
 * Local stand-in for IAM in front of DynamoDB Local. Every request must be SigV4-signed by a session
 * from the STS stand-in (or an admin key); the gateway verifies the signature with the session's
 * secret, derives action, resource ARN and `dynamodb:LeadingKeys` from the request, and evaluates the
 * role's identity policies plus the session policy with the session tags as `aws:PrincipalTag/*`.
 * Refusals are answered like DynamoDB does; allowed requests go to DynamoDB Local unchanged, but for
 * the tag and continuous-backup operations it lacks (answered from `table-settings.ts`).
 */
export const startDynamoDbIamGateway = async (
  options: DynamoDbIamGatewayOptions,
): Promise<DynamoDbIamGateway> => {
  const now = options.now ?? (() => new Date());
  const admins = adminKeysOf(options.adminCredentials);
  const directory: CallerDirectory = { sessions: options.sessions, admins, now };
  const describer = describerFor(options.target, admins[0]);
  const schemas = tableSchemaCache(describer);
  const evaluation: Evaluation = {
    roles: options.roles,
    accountId: options.accountId ?? LOCAL_ACCOUNT_ID,
    now,
    schemaOf: schemas.schemaOf,
  };
  const log = decisionLog(options.decisionLogSize ?? 500);
  const tableSettings = createTableSettings({
    ...(options.tableSettingsFile ? { file: options.tableSettingsFile } : {}),
    now,
  });
  const tableExists = async (table: string) => (await schemas.schemaOf(table)) !== undefined;
  const upstream = forwarder(new URL(options.target), (res, error) =>
    sendError(
      res,
      500,
      'InternalServerError',
      `The local DynamoDB gateway cannot reach DynamoDB Local: ${error.message}`,
    ),
  );

  /** authenticate → operation → (admin: deliver) → access checks → IAM evaluation → deliver. */
  const pass = async (exchange: Exchange, header: string) => {
    const caller = await authenticate(exchange, directory);
    checkOperation(exchange, header, caller.principalArn);
    const base = {
      time: now(),
      operation: exchange.operation,
      principal: caller.principalArn,
      allowed: true,
    };
    if (caller.kind === 'admin') {
      if (['CreateTable', 'DeleteTable', 'UpdateTable'].includes(exchange.operation)) schemas.clear();
      log.record({ ...base, via: 'admin', checks: [] });
      return;
    }
    const checks = await accessChecks(exchange, caller, evaluation);
    await evaluate(caller.session, caller.region, checks, evaluation);
    log.record({ ...base, time: now(), via: 'iam', checks, sessionTags: caller.session.tags });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, MAX_BODY).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, 'ValidationException', 'Request size exceeded the limit of 16 MB');
      } else {
        res.destroy();
      }
    });
    if (!body) return;
    const header = String(req.headers['x-amz-target'] ?? '');
    const operation = header.startsWith(TARGET_PREFIX) ? header.slice(TARGET_PREFIX.length) : header;
    const exchange = { req, res, body, operation, payload: parseJsonObject(body) };
    try {
      await pass(exchange, header);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      log.record(refusalDecision(error, operation, now()));
      sendError(
        res,
        error.status,
        error.type,
        error.message,
        error.type === 'AccessDeniedException' && !!error.evaluated,
      );
      return;
    }
    // 5. On to DynamoDB Local, or answered from the table settings for what it lacks.
    await deliver(exchange, { upstream, settings: tableSettings, tableExists, sendError });
  };

  const endpoint = await serveStandIn(options, handle, (res, error) =>
    sendError(res, 500, 'InternalServerError', `The local DynamoDB gateway failed: ${error.message}`),
  );
  return {
    url: endpoint.url,
    decisions: log.decisions,
    onDecision: log.onDecision,
    clearSchemaCache: schemas.clear,
    close: async () => {
      describer.destroy();
      await endpoint.close();
      upstream.close();
    },
  };
};
