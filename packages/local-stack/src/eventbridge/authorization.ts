import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy, PolicyDocument } from '../iam/types';

/** One PutEvents entry as IAM sees it: the bus it goes to, its source and its detail-type. */
export interface PutEventsEntryRequest {
  /** The caller: a role ARN or its session ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
  principalArn: string;
  eventBusArn: string;
  source: string;
  detailType: string;
}

/** The policies that decide a PutEvents entry: the caller's identity policies and the bus's policy. */
export interface PutEventsPolicies {
  identityPolicies: readonly NamedPolicy[];
  /** The event bus's resource policy (`AWS::Events::EventBus` `Policy`), if it has one. */
  busPolicy?: PolicyDocument;
}

export type PutEventsDecision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

const accountOf = (arn: string): string => {
  const account = arn.split(':')[4];
  if (!account) throw new Error(`Not an ARN: ${arn}`);
  return account;
};

/** `arn:aws:sts::<a>:assumed-role/<role>/<s>` → `arn:aws:iam::<a>:role/<role>` (IAM's `aws:PrincipalArn`). */
const principalArnOf = (arn: string): string => {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : arn;
};

/**
 * Decides one PutEvents entry the way IAM does — explicit deny (in either policy) > allow (identity or,
 * cross-account, both) > implicit deny — with the entry's `events:source` and `events:detail-type`
 * as the multivalued condition keys EventBridge sets. Evaluated by @cloud-copilot/iam-simulate
 * (AGPL-3.0: development and tests only).
 *
 * @example await authorizePutEventsEntry({ principalArn, eventBusArn, source, detailType }, { identityPolicies, busPolicy })
 */
export const authorizePutEventsEntry = async (
  request: PutEventsEntryRequest,
  policies: PutEventsPolicies,
): Promise<PutEventsDecision> => {
  const outcome = await runSimulation(
    {
      request: {
        principal: request.principalArn,
        action: 'events:PutEvents',
        resource: { resource: request.eventBusArn, accountId: accountOf(request.eventBusArn) },
        contextVariables: {
          'aws:PrincipalArn': principalArnOf(request.principalArn),
          'events:source': [request.source],
          'events:detail-type': [request.detailType],
        },
      },
      identityPolicies: policies.identityPolicies.map((policy) => ({
        name: policy.name,
        policy: policy.document,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(policies.busPolicy ? { resourcePolicy: policies.busPolicy } : {}),
    },
    {},
  );
  if (outcome.resultType === 'error')
    throw new Error(`IAM simulation failed: ${JSON.stringify(outcome.errors)}`);
  if (outcome.resultType !== 'single')
    throw new Error(`Unexpected ${outcome.resultType} IAM simulation result`);
  return outcome.overallResult as PutEventsDecision;
};
