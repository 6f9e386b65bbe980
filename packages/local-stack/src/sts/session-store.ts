import type { PolicyDocument } from '../iam/types';

/** Temporary credentials minted by the STS stand-in and what they stand for. */
export interface StsSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** `arn:aws:iam::<account>:role/<name>` */
  roleArn: string;
  roleSessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<name>/<session>` — the principal of requests made with the keys. */
  assumedRoleArn: string;
  /** `AROA…:<session>` */
  assumedRoleId: string;
  accountId: string;
  /** Session tags (become `aws:PrincipalTag/<key>`). */
  tags: Readonly<Record<string, string>>;
  /** Tag keys that pass on when this session assumes another role. */
  transitiveTagKeys: readonly string[];
  /** The inline session policy passed to AssumeRole, if any. */
  sessionPolicy?: PolicyDocument;
  issuedAt: Date;
}

/** Lookup by access key id; the DynamoDB gateway reads it, the STS stand-in writes it. */
export interface SessionStore {
  get(accessKeyId: string): StsSession | undefined;
}

export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, StsSession>();

  get(accessKeyId: string): StsSession | undefined {
    return this.sessions.get(accessKeyId);
  }

  put(session: StsSession): void {
    this.sessions.set(session.accessKeyId, session);
  }

  delete(accessKeyId: string): boolean {
    return this.sessions.delete(accessKeyId);
  }

  /** Drops sessions that expired before `now` (the store never does this on its own). */
  prune(now: Date): number {
    let removed = 0;
    for (const [key, session] of this.sessions) {
      if (session.expiration.getTime() <= now.getTime()) {
        this.sessions.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  /** Every session kept (for tests that look for leaked secrets). */
  all(): StsSession[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }

  values(): IterableIterator<StsSession> {
    return this.sessions.values();
  }
}
