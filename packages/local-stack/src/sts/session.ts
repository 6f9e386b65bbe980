import { derivedUpperId, randomSecret, randomUpperId } from '../common/ids';
import { LOCAL_ACCOUNT_ID, type PolicyDocument } from '../iam/types';
import { ROLE_ARN_PATTERN } from './parameters';
import type { StsSession } from './session-store';

/** A new session for a role: random `ASIA…` key, secret and token, expiry in whole seconds like AWS. */
export const newSession = (spec: {
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
