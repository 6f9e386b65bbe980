/** IAM policy documents as JSON (identity, trust and session policies). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/** A role as the local stack models it: trust policy, identity policies, session limit. */
export interface RoleDefinition {
  /** `AssumeRolePolicyDocument`. Without it the STS stand-in refuses to assume the role. */
  trustPolicy?: PolicyDocument;
  /** Inline and customer-managed policies attached to the role, already free of CloudFormation intrinsics. */
  policies: NamedPolicy[];
  /** `MaxSessionDuration` in seconds (AWS default 3600). */
  maxSessionDurationSeconds?: number;
  /** AWS-managed policy ARNs attached to the role, which the local stack cannot evaluate (informational). */
  unmodelledManagedPolicyArns?: string[];
}

/** Roles keyed by role ARN, e.g. `arn:aws:iam::000000000000:role/TenantDataAccessRole`. */
export type RoleRegistry = Readonly<Record<string, RoleDefinition>>;

/** Account and region the local stack pretends to run in. */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';
