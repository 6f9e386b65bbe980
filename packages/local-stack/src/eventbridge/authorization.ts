import { sessionContext } from '../common/caller';
import { authorize } from '../iam/evaluate';
import type { PolicyDocument, RoleRegistry } from '../iam/types';
import type { StsSession } from '../sts/session-store';

export interface EntryAuthorizationRequest {
  session: StsSession;
  /** Region of the request's signature. */
  region: string;
  busArn: string;
  source: string;
  detailType: string;
  roles: RoleRegistry;
  busPolicy: PolicyDocument | undefined;
  now: Date;
}

/** How PutEvents refuses one entry (the other entries of the request go on). */
export interface EntryRefusal {
  code: 'AccessDeniedException' | 'NotAuthorizedForSourceException' | 'NotAuthorizedForDetailTypeException';
  message: string;
}

/**
 * Evaluates `events:PutEvents` for one entry the way EventBridge does: the caller's role policies
 * (and session policy) and the bus's resource policy, with the entry's `events:source` and
 * `events:detail-type` as condition keys (multivalued in AWS's service reference, hence arrays —
 * a plain `StringEquals` over them does not match; `ForAllValues:`/`ForAnyValue:` do).
 *
 * When the entry is refused, the error code says what a condition refused, as EventBridge reports
 * it: refused only because of its detail-type → `NotAuthorizedForDetailTypeException`; because of
 * its source → `NotAuthorizedForSourceException`; otherwise `AccessDeniedException` with IAM's
 * message naming the action.
 */
export const authorizeEntry = async (
  request: EntryAuthorizationRequest,
): Promise<EntryRefusal | undefined> => {
  const base = sessionContext(request.session, request.region, request.now);
  const role = request.roles[request.session.roleArn];
  const evaluate = (keys: Record<string, string[]>) =>
    authorize(
      {
        principalArn: request.session.assumedRoleArn,
        action: 'events:PutEvents',
        resourceArn: request.busArn,
        resourceAccountId: request.session.accountId,
        context: { ...base, ...keys },
      },
      {
        identityPolicies: role?.policies ?? [],
        ...(request.session.sessionPolicy ? { sessionPolicy: request.session.sessionPolicy } : {}),
        ...(request.busPolicy ? { resourcePolicy: request.busPolicy } : {}),
      },
    );
  const source = { 'events:source': [request.source] };
  const detailType = { 'events:detail-type': [request.detailType] };
  const decision = await evaluate({ ...source, ...detailType });
  if (decision.allowed) return undefined;
  // Which key refused it? Without a key, ForAllValues conditions on it hold (as in AWS).
  if ((await evaluate(source)).allowed)
    return { code: 'NotAuthorizedForDetailTypeException', message: 'Not authorized for the detail type.' };
  if ((await evaluate({})).allowed)
    return { code: 'NotAuthorizedForSourceException', message: 'Not authorized for the source.' };
  return { code: 'AccessDeniedException', message: decision.message };
};
