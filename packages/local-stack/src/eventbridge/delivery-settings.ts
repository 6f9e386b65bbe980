import type { AsyncTarget, RuleTargetPolicy } from '../lambda/async-invocation';
import type { EventBridgeRule } from './serverless-rules';

/**
 * A rule's target as the asynchronous-invocation model needs it: the function (its reserved
 * concurrency and asynchronous invocation settings) and the rule target's own retry policy and
 * dead-letter queue.
 */
export const ruleTargetOf = (
  rule: EventBridgeRule,
  context: { accountId: string; region: string },
): { target: AsyncTarget; via: RuleTargetPolicy } => {
  const target: AsyncTarget = {
    service: rule.service,
    functionName: rule.functionName,
    ...(rule.deployedName ? { deployedName: rule.deployedName } : {}),
    ...(rule.reservedConcurrency === undefined ? {} : { reservedConcurrency: rule.reservedConcurrency }),
    ...(rule.functionAsync ?? {}),
  };
  const ruleName = rule.ruleName ?? `${rule.service}-${rule.functionName}`;
  const via: RuleTargetPolicy = {
    ruleArn: `arn:aws:events:${context.region}:${context.accountId}:rule/${rule.eventBus}/${ruleName}`,
    ...(rule.maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts: rule.maximumRetryAttempts }),
    ...(rule.maximumEventAgeSeconds === undefined
      ? {}
      : { maximumEventAgeSeconds: rule.maximumEventAgeSeconds }),
    ...(rule.deadLetterQueueArn ? { deadLetterQueueArn: rule.deadLetterQueueArn } : {}),
  };
  return { target, via };
};
