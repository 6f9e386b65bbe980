import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy, PolicyDocument } from './types';

/**
 * IAM evaluation for the local stand-ins, done by @cloud-copilot/iam-simulate.
 * That library is AGPL-3.0: this package is a development tool and is never bundled into a Lambda.
 */

export interface AuthorizationRequest {
  /** The caller, e.g. `arn:aws:sts::000000000000:assumed-role/TenantDataAccessRole/session`. */
  principalArn: string;
  /** `service:Action`, e.g. `dynamodb:GetItem`. */
  action: string;
  resourceArn: string;
  /** Account that owns the resource. */
  resourceAccountId: string;
  /** Condition context: `aws:PrincipalTag/tenantId`, `dynamodb:LeadingKeys`, … */
  context: Record<string, string | string[]>;
}

export interface PrincipalPolicies {
  identityPolicies: readonly NamedPolicy[];
  /** The STS session policy, if the session has one. */
  sessionPolicy?: PolicyDocument;
  /** A resource-based policy (for STS: the role's trust policy). */
  resourcePolicy?: PolicyDocument;
}

export type DenialReason =
  | 'explicit-deny-identity'
  | 'explicit-deny-session'
  | 'explicit-deny-resource'
  | 'no-identity-allow'
  | 'no-session-allow'
  | 'no-resource-allow'
  | 'evaluation-error';

export type AuthorizationDecision =
  | { allowed: true }
  | {
      allowed: false;
      reason: DenialReason;
      /** AWS's wording: `User: … is not authorized to perform: … on resource: … because …`. */
      message: string;
    };

const suffixFor = (reason: DenialReason, action: string, detail?: string): string => {
  switch (reason) {
    case 'explicit-deny-identity':
      return 'with an explicit deny in an identity-based policy';
    case 'explicit-deny-session':
      return 'with an explicit deny in a session policy';
    case 'explicit-deny-resource':
      return 'with an explicit deny in a resource-based policy';
    case 'no-identity-allow':
      return `because no identity-based policy allows the ${action} action`;
    case 'no-session-allow':
      return `because no session policy allows the ${action} action`;
    case 'no-resource-allow':
      return `because no resource-based policy allows the ${action} action`;
    case 'evaluation-error':
      return `because the local IAM evaluation failed${detail ? `: ${detail}` : ''}`;
  }
};

export const denialMessage = (request: AuthorizationRequest, reason: DenialReason, detail?: string): string =>
  `User: ${request.principalArn} is not authorized to perform: ${request.action} on resource: ${request.resourceArn} ${suffixFor(reason, request.action, detail)}`;

type AnalysisResult = { result?: string } | undefined;

/** Evaluates one request like IAM does (explicit deny > allow > implicit deny), session policy included. */
export const authorize = async (
  request: AuthorizationRequest,
  policies: PrincipalPolicies,
): Promise<AuthorizationDecision> => {
  const deny = (reason: DenialReason, detail?: string): AuthorizationDecision => ({
    allowed: false,
    reason,
    message: denialMessage(request, reason, detail),
  });
  let outcome: Awaited<ReturnType<typeof runSimulation>>;
  try {
    outcome = await runSimulation(
      {
        request: {
          principal: request.principalArn,
          action: request.action,
          resource: { resource: request.resourceArn, accountId: request.resourceAccountId },
          contextVariables: request.context,
        },
        identityPolicies: policies.identityPolicies.map((policy) => ({
          name: policy.name,
          policy: policy.document,
        })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        sessionPolicy: policies.sessionPolicy,
        resourcePolicy: policies.resourcePolicy,
      },
      {},
    );
  } catch (error) {
    return deny('evaluation-error', (error as Error).message);
  }
  if (outcome.resultType === 'error') {
    return deny('evaluation-error', JSON.stringify(outcome.errors));
  }
  if (outcome.resultType !== 'single') {
    return deny(
      'evaluation-error',
      `unexpected ${outcome.resultType} result for resource ${request.resourceArn}`,
    );
  }
  if (outcome.overallResult === 'Allowed') return { allowed: true };
  const analysis = outcome.result.analysis as unknown as
    | {
        identityAnalysis?: AnalysisResult;
        sessionAnalysis?: AnalysisResult;
        resourceAnalysis?: AnalysisResult;
      }
    | undefined;
  const identity = analysis?.identityAnalysis?.result;
  const session = analysis?.sessionAnalysis?.result;
  const resource = analysis?.resourceAnalysis?.result;
  if (identity === 'ExplicitlyDenied') return deny('explicit-deny-identity');
  if (session === 'ExplicitlyDenied') return deny('explicit-deny-session');
  if (resource === 'ExplicitlyDenied') return deny('explicit-deny-resource');
  if (policies.resourcePolicy && resource !== 'Allowed' && identity === 'Allowed')
    return deny('no-resource-allow');
  if (identity !== 'Allowed' && resource !== 'Allowed') return deny('no-identity-allow');
  if (policies.sessionPolicy && session !== 'Allowed') return deny('no-session-allow');
  return deny('no-identity-allow');
};
