import { escapeXml, requestId } from '../common/ids';
import { authorize } from '../iam/evaluate';
import type { NamedPolicy, RoleDefinition, RoleRegistry } from '../iam/types';
import { STS_NS, StsFault, validation } from './faults';
import { parseMembers, parseRoleRequest, parseSessionPolicy, parseTags } from './parameters';
import { newSession } from './session';
import type { InMemorySessionStore, StsSession } from './session-store';

/** Who calls STS: a role session minted here, or a long-term key. */
export interface StsCaller {
  arn: string;
  userId: string;
  account: string;
  session?: StsSession;
  policies?: NamedPolicy[];
}

export interface AssumeRoleEnvironment {
  roles?: RoleRegistry;
  region: string;
  sessions: InMemorySessionStore;
  now: () => Date;
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

/** The request's tags plus the calling session's transitive tags (role chaining: never overridden). */
const sessionTags = (params: URLSearchParams, caller: StsCaller) => {
  const tags = parseTags(params);
  const transitiveTagKeys = parseMembers(params, 'TransitiveTagKeys');
  const isTag = (key: string) => Object.keys(tags).some((tag) => tag.toLowerCase() === key.toLowerCase());
  for (const key of transitiveTagKeys) {
    if (!isTag(key)) throw validation(`The transitive tag key ${key} is not one of the session tags`);
  }
  const inherited: Record<string, string> = {};
  for (const key of caller.session?.transitiveTagKeys ?? []) {
    const value = caller.session?.tags[key];
    if (value === undefined) continue;
    if (isTag(key)) throw validation(`Cannot override the transitive session tag ${key}`);
    inherited[key] = value;
  }
  return {
    tags,
    allTags: { ...inherited, ...tags },
    transitiveTagKeys,
    inheritedKeys: Object.keys(inherited),
  };
};

/** `DurationSeconds`, within 900 s and the role's (or role chaining's 1 h) maximum. */
const durationOf = (params: URLSearchParams, caller: StsCaller, role: RoleDefinition | undefined) => {
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
  return duration;
};

interface TrustCheck {
  caller: StsCaller;
  roleArn: string;
  roleAccountId: string;
  roleSessionName: string;
  role: RoleDefinition | undefined;
  tags: Record<string, string>;
  allTags: Record<string, string>;
  transitiveTagKeys: string[];
}

/** The request's condition keys as IAM sets them for the role's trust policy. */
const trustContext = (check: TrustCheck, env: AssumeRoleEnvironment) => {
  const { caller, allTags, transitiveTagKeys } = check;
  const context: Record<string, string | string[]> = {
    'aws:PrincipalArn': caller.session ? caller.session.roleArn : caller.arn,
    'aws:PrincipalAccount': caller.account,
    'aws:userid': caller.userId,
    'aws:PrincipalType': caller.session ? 'AssumedRole' : 'User',
    'aws:SecureTransport': 'true',
    'aws:CurrentTime': env.now().toISOString(),
    'aws:EpochTime': String(Math.floor(env.now().getTime() / 1000)),
    'aws:RequestedRegion': env.region,
    'sts:RoleSessionName': check.roleSessionName,
  };
  for (const [key, value] of Object.entries(caller.session?.tags ?? {}))
    context[`aws:PrincipalTag/${key}`] = value;
  for (const [key, value] of Object.entries(allTags)) context[`aws:RequestTag/${key}`] = value;
  if (Object.keys(allTags).length > 0) context['aws:TagKeys'] = Object.keys(allTags);
  if (transitiveTagKeys.length > 0) context['sts:TransitiveTagKeys'] = transitiveTagKeys;
  return context;
};

/** With a role registry: the role must be known, and its trust policy must allow every action. */
const checkTrust = async (check: TrustCheck, env: AssumeRoleEnvironment) => {
  if (!env.roles) return;
  const { caller, roleArn, role } = check;
  if (!role?.trustPolicy) {
    throw new StsFault(
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  const context = trustContext(check, env);
  const actions =
    Object.keys(check.tags).length > 0 ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  for (const action of actions) {
    const decision = await authorize(
      {
        principalArn: caller.arn,
        action,
        resourceArn: roleArn,
        resourceAccountId: check.roleAccountId,
        context,
      },
      { identityPolicies: caller.policies ?? ALLOW_ASSUME_ROLE, resourcePolicy: role.trustPolicy },
    );
    if (!decision.allowed) {
      throw new StsFault(
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`,
      );
    }
  }
};

const assumeRoleResponse = (
  session: StsSession,
  packedPolicySize: number | undefined,
) => `<AssumeRoleResponse xmlns="${STS_NS}">
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
    </Credentials>${packedPolicySize !== undefined ? `\n    <PackedPolicySize>${packedPolicySize}</PackedPolicySize>` : ''}
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${requestId()}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`;

/** How full the packed policy and tags are, in percent (STS reports it when either is sent). */
const packedPolicySize = (policyText: string | null, tags: Record<string, string>) => {
  if (policyText === null && Object.keys(tags).length === 0) return undefined;
  const size =
    (policyText?.length ?? 0) + Object.entries(tags).reduce((n, [k, v]) => n + k.length + v.length, 0);
  return Math.min(100, Math.ceil(size / 20.48));
};

/** `AssumeRole`: validate → tags → session policy → duration → trust policy → mint and answer. */
export const assumeRole = async (
  params: URLSearchParams,
  caller: StsCaller,
  env: AssumeRoleEnvironment,
): Promise<string> => {
  const { roleArn, roleSessionName, roleAccountId } = parseRoleRequest(params);
  const { tags, allTags, transitiveTagKeys, inheritedKeys } = sessionTags(params, caller);
  const policyText = params.get('Policy');
  const sessionPolicy = parseSessionPolicy(policyText);
  const role = env.roles?.[roleArn];
  const duration = durationOf(params, caller, role);
  await checkTrust(
    { caller, roleArn, roleAccountId, roleSessionName, role, tags, allTags, transitiveTagKeys },
    env,
  );
  const session = newSession({
    roleArn,
    roleSessionName,
    durationSeconds: duration,
    issuedAt: env.now(),
    tags: allTags,
    transitiveTagKeys: [...transitiveTagKeys, ...inheritedKeys],
    ...(sessionPolicy ? { sessionPolicy } : {}),
  });
  env.sessions.put(session);
  return assumeRoleResponse(session, packedPolicySize(policyText, tags));
};
