import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { derivedUpperId, escapeXml, randomSecret, randomUpperId, requestId } from '../common/ids';
import {
  BodyTooLargeError,
  type ListenOptions,
  type LocalEndpoint,
  listen,
  readBody,
  trackConnections,
} from '../common/net';
import { parseAuthorizationHeader, verifySignature } from '../common/sigv4';
import { authorize } from '../iam/evaluate';
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  type NamedPolicy,
  type PolicyDocument,
  type RoleDefinition,
  type RoleRegistry,
} from '../iam/types';
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

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const MAX_BODY = 256 * 1024;
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

class StsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

const validation = (message: string) => new StsFault(400, 'ValidationError', message);

interface Caller {
  arn: string;
  userId: string;
  account: string;
  session?: StsSession;
  policies?: NamedPolicy[];
}

const ALLOW_ASSUME_ROLE: NamedPolicy[] = [
  {
    name: 'local-stack-caller-default',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }],
    },
  },
];

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Local stand-in for AWS STS (query protocol, XML answers shaped like AWS's): `AssumeRole` and
 * `GetCallerIdentity`. It mints random temporary credentials, remembers for each access key the role,
 * session tags, session policy and expiry, and evaluates the role's trust policy when given roles.
 */
export const startLocalSts = async (options: LocalStsOptions = {}): Promise<LocalSts> => {
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const now = options.now ?? (() => new Date());
  const sessions = options.sessions ?? new InMemorySessionStore();
  const callers = options.callers ?? {};
  const defaultCallerArn = options.defaultCallerArn ?? `arn:aws:iam::${accountId}:user/local-developer`;
  const counters: LocalStsStats = { assumeRoleCalls: 0, assumeRoleRefusals: 0, getCallerIdentityCalls: 0 };

  const identify = async (req: IncomingMessage, body: Buffer): Promise<Caller> => {
    const header = req.headers.authorization;
    if (!header)
      throw new StsFault(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    const auth = parseAuthorizationHeader(header);
    if (!auth) {
      throw new StsFault(
        400,
        'IncompleteSignature',
        `Authorization header is not a valid AWS Signature Version 4`,
      );
    }
    const session = sessions.get(auth.accessKeyId);
    const known = callers[auth.accessKeyId];
    const secret = session?.secretAccessKey ?? known?.secretAccessKey;
    if (session) {
      if (req.headers['x-amz-security-token'] !== session.sessionToken) {
        throw new StsFault(
          403,
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
        );
      }
      if (session.expiration.getTime() <= now().getTime()) {
        throw new StsFault(403, 'ExpiredToken', 'The security token included in the request is expired');
      }
    } else if (!known && options.requireKnownCallers) {
      throw new StsFault(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    if (secret !== undefined) {
      const failure = await verifySignature(
        { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
        auth,
        { accessKeyId: auth.accessKeyId, secretAccessKey: secret },
        now(),
      );
      if (failure)
        throw new StsFault(
          403,
          failure.code === 'IncompleteSignature' ? 'IncompleteSignature' : 'SignatureDoesNotMatch',
          failure.message,
        );
    }
    if (session) {
      return {
        arn: session.assumedRoleArn,
        userId: session.assumedRoleId,
        account: session.accountId,
        session,
        policies: options.roles?.[session.roleArn]?.policies,
      };
    }
    const arn = known?.arn ?? defaultCallerArn;
    return {
      arn,
      userId: `AIDA${derivedUpperId(arn, 17)}`,
      account: /^arn:[^:]+:[^:]+::(\d{12}):/.exec(arn)?.[1] ?? accountId,
      policies: known?.policies,
    };
  };

  const assumeRole = async (params: URLSearchParams, caller: Caller): Promise<string> => {
    const roleArn = params.get('RoleArn') ?? '';
    const roleSessionName = params.get('RoleSessionName') ?? '';
    const roleMatch = ROLE_ARN_PATTERN.exec(roleArn);
    if (!roleMatch) {
      throw validation(
        `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a valid IAM role ARN`,
      );
    }
    if (!SESSION_NAME_PATTERN.test(roleSessionName)) {
      throw validation(
        `1 validation error detected: Value '${roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64`,
      );
    }
    if ([...params.keys()].some((key) => key.startsWith('PolicyArns.'))) {
      throw validation(
        'PolicyArns (managed session policies) are not supported by the local STS stand-in; pass an inline Policy',
      );
    }
    if (params.has('SourceIdentity') || params.has('SerialNumber') || params.has('ExternalId')) {
      throw validation('SourceIdentity, ExternalId and MFA are not supported by the local STS stand-in');
    }
    const tags = parseTags(params);
    const transitiveTagKeys = parseMembers(params, 'TransitiveTagKeys');
    for (const key of transitiveTagKeys) {
      if (!Object.keys(tags).some((tag) => tag.toLowerCase() === key.toLowerCase())) {
        throw validation(`The transitive tag key ${key} is not one of the session tags`);
      }
    }
    // Role chaining: transitive tags of the calling session pass on and cannot be overridden.
    const inherited: Record<string, string> = {};
    for (const key of caller.session?.transitiveTagKeys ?? []) {
      const value = caller.session?.tags[key];
      if (value === undefined) continue;
      if (Object.keys(tags).some((tag) => tag.toLowerCase() === key.toLowerCase())) {
        throw validation(`Cannot override the transitive session tag ${key}`);
      }
      inherited[key] = value;
    }
    const allTags = { ...inherited, ...tags };

    const policyText = params.get('Policy');
    let sessionPolicy: PolicyDocument | undefined;
    if (policyText !== null) {
      if (policyText.length > 2048) {
        throw validation(
          `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`,
        );
      }
      try {
        sessionPolicy = JSON.parse(policyText) as PolicyDocument;
      } catch {
        throw new StsFault(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
      }
      if (
        typeof sessionPolicy !== 'object' ||
        sessionPolicy === null ||
        sessionPolicy.Statement === undefined
      ) {
        throw new StsFault(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
      }
    }

    const role: RoleDefinition | undefined = options.roles?.[roleArn];
    const durationParam = params.get('DurationSeconds');
    const duration = durationParam === null ? 3600 : Number(durationParam);
    if (!Number.isInteger(duration) || duration < 900) {
      throw validation(
        `1 validation error detected: Value '${durationParam}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    }
    if (caller.session && duration > 3600) {
      throw validation(
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    if (duration > (role?.maxSessionDurationSeconds ?? 3600)) {
      throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }

    if (options.roles) {
      const denied = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
      if (!role?.trustPolicy) throw new StsFault(403, 'AccessDenied', denied);
      const context: Record<string, string | string[]> = {
        'aws:PrincipalArn': caller.session ? caller.session.roleArn : caller.arn,
        'aws:PrincipalAccount': caller.account,
        'aws:userid': caller.userId,
        'aws:PrincipalType': caller.session ? 'AssumedRole' : 'User',
        'aws:SecureTransport': 'true',
        'aws:CurrentTime': now().toISOString(),
        'aws:EpochTime': String(Math.floor(now().getTime() / 1000)),
        'aws:RequestedRegion': options.region ?? LOCAL_REGION,
        'sts:RoleSessionName': roleSessionName,
      };
      for (const [key, value] of Object.entries(caller.session?.tags ?? {}))
        context[`aws:PrincipalTag/${key}`] = value;
      for (const [key, value] of Object.entries(allTags)) context[`aws:RequestTag/${key}`] = value;
      if (Object.keys(allTags).length > 0) context['aws:TagKeys'] = Object.keys(allTags);
      if (transitiveTagKeys.length > 0) context['sts:TransitiveTagKeys'] = transitiveTagKeys;
      const actions =
        Object.keys(tags).length > 0 ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
      for (const action of actions) {
        const decision = await authorize(
          {
            principalArn: caller.arn,
            action,
            resourceArn: roleArn,
            resourceAccountId: roleMatch[1] as string,
            context,
          },
          {
            identityPolicies: caller.policies ?? ALLOW_ASSUME_ROLE,
            resourcePolicy: role.trustPolicy,
          },
        );
        if (!decision.allowed) {
          throw new StsFault(
            403,
            'AccessDenied',
            `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`,
          );
        }
      }
    }

    const session = newSession({
      roleArn,
      roleSessionName,
      durationSeconds: duration,
      issuedAt: now(),
      tags: allTags,
      transitiveTagKeys: [...transitiveTagKeys, ...Object.keys(inherited)],
      ...(sessionPolicy ? { sessionPolicy } : {}),
    });
    sessions.put(session);
    const packed = Math.min(
      100,
      Math.ceil(
        ((policyText?.length ?? 0) + Object.entries(tags).reduce((n, [k, v]) => n + k.length + v.length, 0)) /
          20.48,
      ),
    );
    return `<AssumeRoleResponse xmlns="${STS_NS}">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>${escapeXml(session.assumedRoleId)}</AssumedRoleId>
      <Arn>${escapeXml(session.assumedRoleArn)}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${session.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${escapeXml(session.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${escapeXml(session.sessionToken)}</SessionToken>
      <Expiration>${isoSeconds(session.expiration)}</Expiration>
    </Credentials>${policyText !== null || Object.keys(tags).length > 0 ? `\n    <PackedPolicySize>${packed}</PackedPolicySize>` : ''}
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${requestId()}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`;
  };

  const getCallerIdentity = (caller: Caller): string => `<GetCallerIdentityResponse xmlns="${STS_NS}">
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rid = requestId();
    let action: string | null = null;
    try {
      if (req.method !== 'POST' && req.method !== 'GET') {
        throw new StsFault(405, 'InvalidAction', 'Only POST and GET are supported');
      }
      const body = await readBody(req, MAX_BODY);
      const queryIndex = (req.url ?? '').indexOf('?');
      const params =
        req.method === 'GET'
          ? new URLSearchParams(queryIndex < 0 ? '' : (req.url ?? '').slice(queryIndex + 1))
          : new URLSearchParams(body.toString('utf8'));
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
      const xml = action === 'AssumeRole' ? await assumeRole(params, caller) : getCallerIdentity(caller);
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': rid });
      res.end(xml);
    } catch (error) {
      if (action === 'AssumeRole') counters.assumeRoleRefusals += 1;
      const fault =
        error instanceof StsFault
          ? error
          : error instanceof BodyTooLargeError
            ? new StsFault(413, 'RequestEntityTooLarge', 'Request body too large')
            : new StsFault(
                500,
                'InternalFailure',
                'The local STS stand-in failed to process the request.',
                'Receiver',
              );
      res.writeHead(fault.status, { 'content-type': 'text/xml', 'x-amzn-requestid': rid });
      res.end(`<ErrorResponse xmlns="${STS_NS}">
  <Error>
    <Type>${fault.type}</Type>
    <Code>${fault.code}</Code>
    <Message>${escapeXml(fault.message)}</Message>
  </Error>
  <RequestId>${rid}</RequestId>
</ErrorResponse>
`);
    }
  };

  const issueServiceSession = async ({
    roleArn,
    roleSessionName,
    servicePrincipal = 'lambda.amazonaws.com',
    durationSeconds = 12 * 3600,
  }: ServiceSessionRequest): Promise<StsSession> => {
    const roleMatch = ROLE_ARN_PATTERN.exec(roleArn);
    if (!roleMatch) throw new Error(`Not a role ARN: ${roleArn}`);
    if (!SESSION_NAME_PATTERN.test(roleSessionName))
      throw new Error(`Not a valid role session name: ${roleSessionName}`);
    const role = options.roles?.[roleArn];
    if (options.roles) {
      if (!role?.trustPolicy) throw new Error(`Unknown role (or no trust policy): ${roleArn}`);
      const decision = await authorize(
        {
          principalArn: servicePrincipal,
          action: 'sts:AssumeRole',
          resourceArn: roleArn,
          resourceAccountId: roleMatch[1] as string,
          context: { 'aws:SecureTransport': 'true', 'aws:CurrentTime': now().toISOString() },
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
      issuedAt: now(),
      tags: {},
      transitiveTagKeys: [],
    });
    sessions.put(session);
    return session;
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const close = trackConnections(server);
  const { url } = await listen(server, options);
  return {
    url,
    sessions,
    roles: options.roles,
    stats: () => ({ ...counters }),
    issueServiceSession,
    close,
  };
};

/** A new session for a role: random `ASIA…` key, secret and token, expiry in whole seconds like AWS. */
const newSession = (spec: {
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  issuedAt: Date;
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  sessionPolicy?: PolicyDocument;
}): StsSession => {
  const [, roleAccount = LOCAL_ACCOUNT_ID, roleName = ''] = ROLE_ARN_PATTERN.exec(spec.roleArn) ?? [];
  return {
    accessKeyId: `ASIA${randomUpperId(16)}`,
    secretAccessKey: randomSecret(30),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomSecret(300).replace(/[+/=]/g, '')}`,
    // AWS states expiry in whole seconds; keep the stored one identical to what the client sees.
    expiration: new Date(Math.floor(spec.issuedAt.getTime() / 1000) * 1000 + spec.durationSeconds * 1000),
    roleArn: spec.roleArn,
    roleSessionName: spec.roleSessionName,
    assumedRoleArn: `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${spec.roleSessionName}`,
    assumedRoleId: `AROA${derivedUpperId(spec.roleArn, 17)}:${spec.roleSessionName}`,
    accountId: roleAccount,
    tags: spec.tags,
    transitiveTagKeys: spec.transitiveTagKeys,
    ...(spec.sessionPolicy ? { sessionPolicy: spec.sessionPolicy } : {}),
    issuedAt: spec.issuedAt,
  };
};

const parseMembers = (params: URLSearchParams, prefix: string): string[] => {
  const result: string[] = [];
  for (let index = 1; params.has(`${prefix}.member.${index}`); index += 1) {
    result.push(params.get(`${prefix}.member.${index}`) as string);
  }
  return result;
};

const parseTags = (params: URLSearchParams): Record<string, string> => {
  const tags: Record<string, string> = {};
  const seen = new Set<string>();
  let index = 1;
  for (; params.has(`Tags.member.${index}.Key`); index += 1) {
    const key = params.get(`Tags.member.${index}.Key`) as string;
    const value = params.get(`Tags.member.${index}.Value`) ?? '';
    if (!TAG_KEY_PATTERN.test(key) || key.toLowerCase().startsWith('aws:')) {
      throw validation(
        `1 validation error detected: Value '${key}' at 'tags.${index}.member.key' failed to satisfy constraint`,
      );
    }
    if (!TAG_VALUE_PATTERN.test(value)) {
      throw validation(
        `1 validation error detected: Value at 'tags.${index}.member.value' failed to satisfy constraint`,
      );
    }
    if (seen.has(key.toLowerCase())) {
      throw validation('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    seen.add(key.toLowerCase());
    tags[key] = value;
  }
  if (index - 1 > 50) {
    throw validation(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  }
  return tags;
};
