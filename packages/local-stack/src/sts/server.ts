import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthenticationFault, authenticateCaller } from '../common/caller';
import { derivedUpperId, escapeXml, requestId } from '../common/ids';
import { BodyTooLargeError, type ListenOptions, type LocalEndpoint, readBody } from '../common/net';
import { serveStandIn, signedRequestOf } from '../common/server';
import { authorize } from '../iam/evaluate';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type NamedPolicy, type RoleRegistry } from '../iam/types';
import { type AssumeRoleEnvironment, assumeRole, type StsCaller } from './assume-role';
import { errorResponse, STS_AUTHENTICATION_CODES, STS_NS, StsFault } from './faults';
import { ROLE_ARN_PATTERN, SESSION_NAME_PATTERN } from './parameters';
import { newSession } from './session';
import { InMemorySessionStore, type StsSession } from './session-store';

/** A caller the STS stand-in knows by access key (e.g. the credentials a local Lambda runs with). */
export interface KnownCaller {
  /** The caller's principal, e.g. `arn:aws:iam::000000000000:role/agent-invoker-lambda`. */
  arn: string;
  /** When given, the caller's signatures are verified. */
  secretAccessKey?: string;
  /**
   * The caller's own identity policies. When omitted the caller is treated as allowed to call
   * `sts:AssumeRole`/`sts:TagSession` on any role, so that the role's trust policy decides.
   */
  policies?: NamedPolicy[];
}

export interface LocalStsOptions extends ListenOptions {
  /**
   * Roles that can be assumed, by ARN. When given, unknown roles are refused and each role's trust
   * policy is evaluated (principal, conditions on `aws:RequestTag/*`, `aws:TagKeys`, …). When omitted,
   * any role ARN is accepted without evaluation (a plain credential minter).
   */
  roles?: RoleRegistry;
  accountId?: string;
  region?: string;
  /** Callers by access key id. */
  callers?: Readonly<Record<string, KnownCaller>>;
  /**
   * Principal assumed for access keys the stand-in does not know (their signatures cannot be checked).
   * Default `arn:aws:iam::<accountId>:user/local-developer`.
   */
  defaultCallerArn?: string;
  /** Refuse access keys that are neither known callers nor sessions minted here (`InvalidClientTokenId`). */
  requireKnownCallers?: boolean;
  /** Where minted sessions are kept; pass your own to share it. */
  sessions?: InMemorySessionStore;
  /** Clock (for expiry tests). */
  now?: () => Date;
}

export interface LocalStsStats {
  /** AssumeRole requests received (answered or refused). */
  assumeRoleCalls: number;
  /** AssumeRole requests refused (validation, trust policy, authentication). */
  assumeRoleRefusals: number;
  getCallerIdentityCalls: number;
}

/** Credentials an AWS service gets for a role it runs as (Lambda: the function's execution role). */
export interface ServiceSessionRequest {
  roleArn: string;
  /** Lambda names the session after the function. */
  roleSessionName: string;
  /** The service principal the role's trust policy must allow (default `lambda.amazonaws.com`). */
  servicePrincipal?: string;
  /** Default 12 h (Lambda refreshes its credentials; a local session simply lasts the run). */
  durationSeconds?: number;
}

export interface LocalSts extends LocalEndpoint {
  /** Sessions minted so far, by access key id. Hand it to the DynamoDB gateway. */
  readonly sessions: InMemorySessionStore;
  /** The roles the stand-in evaluates (the same registry the gateway needs). */
  readonly roles: RoleRegistry | undefined;
  /** Counters (for benchmarks: how often did the system call AssumeRole?). */
  stats(): LocalStsStats;
  /**
   * Mints a session for a role as an AWS service would for itself (Lambda assuming a function's
   * execution role, session named after the function), after checking that the role's trust policy
   * lets that service principal assume it. Requests signed with it are evaluated against the role.
   */
  issueServiceSession(request: ServiceSessionRequest): Promise<StsSession>;
}

const MAX_BODY = 256 * 1024;

/**
 * Local stand-in for AWS STS (query protocol, XML answers shaped like AWS's): `AssumeRole` and
 * `GetCallerIdentity`. It mints random temporary credentials, remembers for each access key the role,
 * session tags, session policy and expiry, and evaluates the role's trust policy when given roles.
 */
export const startLocalSts = async (options: LocalStsOptions = {}): Promise<LocalSts> => {
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const now = options.now ?? (() => new Date());
  const sessions = options.sessions ?? new InMemorySessionStore();
  const counters: LocalStsStats = { assumeRoleCalls: 0, assumeRoleRefusals: 0, getCallerIdentityCalls: 0 };
  const env = { roles: options.roles, region: options.region ?? LOCAL_REGION, sessions, now };
  const identify = callerIdentifier(options, sessions, accountId, now);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rid = requestId();
    let action: string | null = null;
    try {
      const { params, body } = await readQuery(req);
      action = params.get('Action');
      if (action === 'AssumeRole') counters.assumeRoleCalls += 1;
      if (action === 'GetCallerIdentity') counters.getCallerIdentityCalls += 1;
      if (action !== 'AssumeRole' && action !== 'GetCallerIdentity') {
        throw new StsFault(
          400,
          'InvalidAction',
          `Could not find operation ${action ?? ''} for version 2011-06-15`,
        );
      }
      const caller = await identify(req, body);
      const xml = action === 'AssumeRole' ? await assumeRole(params, caller, env) : getCallerIdentity(caller);
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': rid });
      res.end(xml);
    } catch (error) {
      if (action === 'AssumeRole') counters.assumeRoleRefusals += 1;
      const fault = faultOf(error);
      res.writeHead(fault.status, { 'content-type': 'text/xml', 'x-amzn-requestid': rid });
      res.end(errorResponse(fault, rid));
    }
  };

  const endpoint = await serveStandIn(options, handle);
  return {
    url: endpoint.url,
    sessions,
    roles: options.roles,
    stats: () => ({ ...counters }),
    issueServiceSession: (request) => issueServiceSession(request, env),
    close: endpoint.close,
  };
};

/** The query parameters, from the body (POST) or the URL (GET). */
const readQuery = async (req: IncomingMessage) => {
  if (req.method !== 'POST' && req.method !== 'GET') {
    throw new StsFault(405, 'InvalidAction', 'Only POST and GET are supported');
  }
  const body = await readBody(req, MAX_BODY);
  const queryIndex = (req.url ?? '').indexOf('?');
  const params =
    req.method === 'GET'
      ? new URLSearchParams(queryIndex < 0 ? '' : (req.url ?? '').slice(queryIndex + 1))
      : new URLSearchParams(body.toString('utf8'));
  return { params, body };
};

const faultOf = (error: unknown): StsFault => {
  if (error instanceof StsFault) return error;
  if (error instanceof AuthenticationFault) {
    return new StsFault(403, STS_AUTHENTICATION_CODES[error.code], error.message);
  }
  if (error instanceof BodyTooLargeError)
    return new StsFault(413, 'RequestEntityTooLarge', 'Request body too large');
  return new StsFault(
    500,
    'InternalFailure',
    'The local STS stand-in failed to process the request.',
    'Receiver',
  );
};

/**
 * Who signed the request (through the shared `authenticateCaller`): a session minted here, a known
 * caller, or — unless `requireKnownCallers` — any other key, as the default caller.
 */
const callerIdentifier = (
  options: LocalStsOptions,
  sessions: InMemorySessionStore,
  accountId: string,
  now: () => Date,
) => {
  const callers = options.callers ?? {};
  const defaultCallerArn = options.defaultCallerArn ?? `arn:aws:iam::${accountId}:user/local-developer`;
  const directory = {
    sessions,
    admins: Object.entries(callers).map(([accessKeyId, known]) => ({
      accessKeyId,
      secretAccessKey: known.secretAccessKey,
    })),
    acceptUnknownKeys: !options.requireKnownCallers,
    now,
  };
  return async (req: IncomingMessage, body: Buffer): Promise<StsCaller> => {
    const caller = await authenticateCaller(signedRequestOf(req, body), directory);
    if (caller.kind === 'session') {
      const { session } = caller;
      return {
        arn: session.assumedRoleArn,
        userId: session.assumedRoleId,
        account: session.accountId,
        session,
        policies: options.roles?.[session.roleArn]?.policies,
      };
    }
    const known = callers[caller.accessKeyId];
    const arn = known?.arn ?? defaultCallerArn;
    return {
      arn,
      userId: `AIDA${derivedUpperId(arn, 17)}`,
      account: /^arn:[^:]+:[^:]+::(\d{12}):/.exec(arn)?.[1] ?? accountId,
      policies: known?.policies,
    };
  };
};

const getCallerIdentity = (caller: StsCaller): string => `<GetCallerIdentityResponse xmlns="${STS_NS}">
  <GetCallerIdentityResult>
    <Arn>${escapeXml(caller.arn)}</Arn>
    <UserId>${escapeXml(caller.userId)}</UserId>
    <Account>${caller.account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId()}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;

/** A session an AWS service mints for itself, after the role's trust policy lets that service in. */
const issueServiceSession = async (
  {
    roleArn,
    roleSessionName,
    servicePrincipal = 'lambda.amazonaws.com',
    durationSeconds = 12 * 3600,
  }: ServiceSessionRequest,
  env: AssumeRoleEnvironment,
): Promise<StsSession> => {
  const roleMatch = ROLE_ARN_PATTERN.exec(roleArn);
  if (!roleMatch) throw new Error(`Not a role ARN: ${roleArn}`);
  if (!SESSION_NAME_PATTERN.test(roleSessionName))
    throw new Error(`Not a valid role session name: ${roleSessionName}`);
  if (env.roles) {
    const role = env.roles[roleArn];
    if (!role?.trustPolicy) throw new Error(`Unknown role (or no trust policy): ${roleArn}`);
    const decision = await authorize(
      {
        principalArn: servicePrincipal,
        action: 'sts:AssumeRole',
        resourceArn: roleArn,
        resourceAccountId: roleMatch[1] as string,
        context: { 'aws:SecureTransport': 'true', 'aws:CurrentTime': env.now().toISOString() },
      },
      { identityPolicies: [], resourcePolicy: role.trustPolicy },
    );
    if (!decision.allowed)
      throw new Error(`The trust policy of ${roleArn} does not let ${servicePrincipal} assume it`);
  }
  const session = newSession({
    roleArn,
    roleSessionName,
    durationSeconds,
    issuedAt: env.now(),
    tags: {},
    transitiveTagKeys: [],
  });
  env.sessions.put(session);
  return session;
};
