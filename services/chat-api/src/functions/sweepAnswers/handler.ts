import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import { traceInvocation } from '@tenant-assistant/lambda-kit/tracing';
import type { ScheduledEvent } from 'aws-lambda';
import { type SweepDeps, type SweepOutcome, sweepOverdueAnswers } from '../../answers/deadline';
import { defaults } from '../../defaults';
import { metrics, tracer } from '../../observability';

export type Deps = SweepDeps;

/**
 * Scheduled (serverless.yml `schedule`; locally the dev stack's scheduler): ends every open answer
 * past its deadline — FAILED (timed out), `answer.failed` pushed to its owner. The event carries
 * nothing it needs; tenant and user come from each stored answer. Counts the overdue answers found
 * and those it timed out (`AnswersOverdue`, `AnswersTimedOut`, service-wide).
 */
export const makeHandler = (deps: Deps) => async (_event: unknown) => {
  const outcome = await sweepOverdueAnswers(deps);
  metrics.emit({}, [
    { name: 'AnswersOverdue', unit: MetricUnit.Count, value: outcome.found },
    { name: 'AnswersTimedOut', unit: MetricUnit.Count, value: outcome.expired },
  ]);
  if (outcome.found > 0) deps.logger.info('Swept overdue answers', { ...outcome });
  return outcome;
};

export type SweepAnswersHandler = MiddyfiedHandler<ScheduledEvent | Record<string, never>, SweepOutcome>;

export const createHandler = (deps: Deps): SweepAnswersHandler =>
  middy(makeHandler(deps))
    .use(traceInvocation(tracer))
    .use(injectLambdaContext(deps.logger) as MiddlewareObj) as unknown as SweepAnswersHandler;

export const handler = createHandler(defaults);
