import type { IncomingHttpHeaders } from 'node:http';
import type { SessionStore, StsSession } from '../sts/session-store';
import { parseAuthorizationHeader, verifySignature } from './sigv4';

/** An access key that is authenticated but never evaluated (dev tools, seeding). */
export interface AdminKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Who signed a request, once the signature has been verified. */
export type AuthenticatedCaller =
  | { kind: 'admin'; accessKeyId: string; principalArn: string; region: string }
  | { kind: 'session'; session: StsSession; principalArn: string; region: string };

/** Why a request was not authenticated, in the words AWS's JSON services use. */
export class AuthenticationFault extends Error {
  constructor(
    readonly code:
      | 'MissingAuthenticationTokenException'
      | 'IncompleteSignatureException'
      | 'UnrecognizedClientException'
      | 'InvalidSignatureException'
      | 'ExpiredTokenException',
    message: string,
  ) {
    super(message);
    this.name = 'AuthenticationFault';
  }
}

export interface CallerDirectory {
  /** Sessions minted by the STS stand-in (the functions' own role sessions among them). */
  sessions: SessionStore;
  /** Keys that bypass evaluation. */
  admins?: readonly AdminKey[];
  now?: () => Date;
}

/**
 * Authenticates a SigV4-signed request as AWS does: the access key must be an STS session (with
 * its session token, not expired) or an admin key, and the signature must match the stored secret.
 * Throws an `AuthenticationFault` otherwise.
 */
export const authenticateCaller = async (
  request: { method: string; url: string; headers: IncomingHttpHeaders; body: Uint8Array },
  directory: CallerDirectory,
): Promise<AuthenticatedCaller> => {
  const now = directory.now?.() ?? new Date();
  const header = request.headers.authorization;
  if (!header)
    throw new AuthenticationFault(
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
    );
  const auth = parseAuthorizationHeader(header);
  if (!auth) {
    throw new AuthenticationFault(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
    );
  }
  const admin = directory.admins?.find((key) => key.accessKeyId === auth.accessKeyId);
  const session = admin ? undefined : directory.sessions.get(auth.accessKeyId);
  const invalid = () =>
    new AuthenticationFault(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  if (!admin && !session) throw invalid();
  if (session && request.headers['x-amz-security-token'] !== session.sessionToken) throw invalid();
  if (session && session.expiration.getTime() <= now.getTime())
    throw new AuthenticationFault(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    );
  const failure = await verifySignature(
    request,
    auth,
    {
      accessKeyId: auth.accessKeyId,
      secretAccessKey: (admin?.secretAccessKey ?? session?.secretAccessKey) as string,
    },
    now,
  );
  if (failure) {
    throw new AuthenticationFault(
      failure.code === 'IncompleteSignature' ? 'IncompleteSignatureException' : 'InvalidSignatureException',
      failure.message,
    );
  }
  return session
    ? { kind: 'session', session, principalArn: session.assumedRoleArn, region: auth.region }
    : {
        kind: 'admin',
        accessKeyId: auth.accessKeyId,
        principalArn: `admin:${auth.accessKeyId}`,
        region: auth.region,
      };
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
