import type { IncomingHttpHeaders } from 'node:http';
import type { SessionStore, StsSession } from '../sts/session-store';
import { type ParsedAuthorization, parseAuthorizationHeader, verifySignature } from './sigv4';

/**
 * A long-term access key a stand-in knows: authenticated, never evaluated as a role session (dev
 * tools, seeding, the STS stand-in's known callers). Without a secret its signature cannot be checked.
 */
export interface AdminKey {
  accessKeyId: string;
  secretAccessKey?: string;
}

/** Who signed a request, once the signature has been verified. */
export type AuthenticatedCaller =
  | { kind: 'admin'; accessKeyId: string; principalArn: string; region: string }
  | { kind: 'session'; session: StsSession; principalArn: string; region: string };

export type AuthenticationFaultCode =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'ExpiredTokenException';

/**
 * Why a request was not authenticated, in the words AWS's JSON services use (the STS stand-in maps
 * them to its query-protocol codes). `principalArn` is known once the access key was recognised.
 */
export class AuthenticationFault extends Error {
  override name = 'AuthenticationFault';

  constructor(
    readonly code: AuthenticationFaultCode,
    message: string,
    readonly principalArn?: string,
  ) {
    super(message);
  }
}

export interface CallerDirectory {
  /** Sessions minted by the STS stand-in (the functions' own role sessions among them). */
  sessions: SessionStore;
  /** Keys that bypass evaluation. */
  admins?: readonly AdminKey[];
  /** Accept access keys the directory does not know, unverified, as admin callers (default refuse). */
  acceptUnknownKeys?: boolean;
  now?: () => Date;
}

type SignedRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: Uint8Array };

const invalidToken = () =>
  new AuthenticationFault(
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
  );

/** The signature's parts, or a fault when the request is unsigned or the header is malformed. */
const signatureOf = (request: SignedRequest): ParsedAuthorization => {
  const header = request.headers.authorization;
  if (!header) {
    throw new AuthenticationFault(
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
    );
  }
  const auth = parseAuthorizationHeader(header);
  if (!auth) {
    throw new AuthenticationFault(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
    );
  }
  return auth;
};

/** A session must come with its own token and be unexpired. */
const checkSession = (request: SignedRequest, session: StsSession, now: Date) => {
  if (request.headers['x-amz-security-token'] !== session.sessionToken) throw invalidToken();
  if (session.expiration.getTime() <= now.getTime()) {
    throw new AuthenticationFault(
      'ExpiredTokenException',
      'The security token included in the request is expired',
      session.assumedRoleArn,
    );
  }
};

const checkSignature = async (
  request: SignedRequest,
  auth: ParsedAuthorization,
  secretAccessKey: string,
  principalArn: string,
  now: Date,
) => {
  const failure = await verifySignature(
    request,
    auth,
    { accessKeyId: auth.accessKeyId, secretAccessKey },
    now,
  );
  if (failure) {
    throw new AuthenticationFault(
      failure.code === 'IncompleteSignature' ? 'IncompleteSignatureException' : 'InvalidSignatureException',
      failure.message,
      principalArn,
    );
  }
};

/**
 * Authenticates a SigV4-signed request as AWS does: the access key must be an STS session (with
 * its session token, not expired) or an admin key, and the signature must match the stored secret.
 * Throws an `AuthenticationFault` otherwise. The one home of caller authentication for every
 * stand-in that identifies callers (STS, the DynamoDB gateway, EventBridge, Bedrock).
 */
export const authenticateCaller = async (
  request: SignedRequest,
  directory: CallerDirectory,
): Promise<AuthenticatedCaller> => {
  const now = directory.now?.() ?? new Date();
  const auth = signatureOf(request);
  const admin = directory.admins?.find((key) => key.accessKeyId === auth.accessKeyId);
  const session = admin ? undefined : directory.sessions.get(auth.accessKeyId);
  if (session) {
    checkSession(request, session, now);
    await checkSignature(request, auth, session.secretAccessKey, session.assumedRoleArn, now);
    return { kind: 'session', session, principalArn: session.assumedRoleArn, region: auth.region };
  }
  if (!admin && !directory.acceptUnknownKeys) throw invalidToken();
  const principalArn = `admin:${auth.accessKeyId}`;
  if (admin?.secretAccessKey !== undefined) {
    await checkSignature(request, auth, admin.secretAccessKey, principalArn, now);
  }
  return { kind: 'admin', accessKeyId: auth.accessKeyId, principalArn, region: auth.region };
};

/** The global condition keys of a request made with a role session, as IAM sets them. */
export const sessionContext = (
  session: StsSession,
  region: string,
  now: Date,
): Record<string, string | string[]> => {
  const context: Record<string, string | string[]> = {
    'aws:PrincipalArn': session.roleArn,
    'aws:PrincipalAccount': session.accountId,
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': session.assumedRoleId,
    'aws:SecureTransport': 'true',
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:TokenIssueTime': session.issuedAt.toISOString(),
    'aws:RequestedRegion': region,
  };
  for (const [key, value] of Object.entries(session.tags)) context[`aws:PrincipalTag/${key}`] = value;
  return context;
};
