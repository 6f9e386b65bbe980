import {
  lookUpOwnerConnections,
  type OwnerConnections,
  type PushDeps,
  type PushOutcome,
  pushToOwner,
} from '../connections/push';
import type { AnswersRepository, Clock, OverdueAnswer } from '../ports';
import { type Answer, asTimedOut, isOverdue, TIMED_OUT_REASON } from './model';

/**
 * When an answer submitted at `submittedAt` must have ended: `deadlineSeconds` later (the stage's
 * `answerDeadlineSeconds`, derived from the agent-invoker's timeout and retries).
 *
 * @example answerDeadline(new Date('2025-01-01T10:00:00Z'), 240) // '2025-01-01T10:04:00.000Z'
 */
export const answerDeadline = (submittedAt: Date, deadlineSeconds: number): string =>
  new Date(submittedAt.getTime() + deadlineSeconds * 1000).toISOString();

/**
 * Ends one open answer past its deadline: FAILED (timed out) with one conditional write, then
 * `answer.failed` pushed to its owner's connections. Returns the push, or undefined when the write
 * was refused (the answer ended meanwhile, or another path noticed first).
 */
export const expireOverdue = async (
  deps: PushDeps & { answers: AnswersRepository },
  answer: OverdueAnswer,
  now: Date,
  connections?: OwnerConnections,
): Promise<PushOutcome | undefined> => {
  const owner = { tenantId: answer.tenantId, userId: answer.userId };
  const lookup = connections ?? lookUpOwnerConnections(deps, owner);
  const expired = await deps.answers.expire(answer, answer.tenantId, now);
  if (!expired) return undefined;
  deps.logger.info('Answer timed out', { answerId: answer.answerId });
  return pushToOwner(
    deps,
    owner,
    { type: 'answer.failed', answerId: answer.answerId, reason: TIMED_OUT_REASON },
    lookup,
  );
};

/**
 * What a reader sees of a stored answer at `now`: an open answer past its deadline is made FAILED
 * (timed out) by this read — one conditional write; if another path ended it meanwhile, the stored
 * answer is read again. A read does not push (the sweeper and late events do).
 */
export const settleOnRead = async (
  deps: { answers: AnswersRepository; clock: Clock },
  answer: Answer,
): Promise<Answer> => {
  const now = deps.clock();
  if (!isOverdue(answer, now)) return answer;
  if (await deps.answers.expire(answer, answer.tenantId, now)) return asTimedOut(answer, now);
  return (await deps.answers.get(answer)) ?? asTimedOut(answer, now);
};

export interface SweepDeps extends PushDeps {
  answers: AnswersRepository;
  clock: Clock;
}

/** What one sweep did. */
export interface SweepOutcome {
  /** Overdue open answers found. */
  found: number;
  /** Of those, made FAILED (timed out) by this sweep (the rest ended meanwhile). */
  expired: number;
  /** `answer.failed` messages delivered to owners' connections. */
  delivered: number;
}

/**
 * The sweeper: finds open answers past their deadline (at most `batch` per round, rounds until none
 * is left or `maxRounds` is reached) and ends each one (FAILED, timed out, pushed to its owner).
 * One answer failing to end does not stop the others; it is found again by the next sweep.
 *
 * @example const outcome = await sweepOverdueAnswers(deps, { batch: 100 });
 */
export const sweepOverdueAnswers = async (
  deps: SweepDeps,
  options: { batch?: number; maxRounds?: number } = {},
): Promise<SweepOutcome> => {
  const batch = options.batch ?? 100;
  const maxRounds = options.maxRounds ?? 10;
  const outcome: SweepOutcome = { found: 0, expired: 0, delivered: 0 };
  for (let round = 0; round < maxRounds; round += 1) {
    const now = deps.clock();
    const overdue = await deps.answers.listOverdue(now, batch);
    outcome.found += overdue.length;
    const results = await Promise.allSettled(overdue.map((answer) => expireOverdue(deps, answer, now)));
    let expiredThisRound = 0;
    for (const result of results) {
      if (result.status === 'rejected') {
        deps.logger.error('Ending an overdue answer failed; the next sweep retries it', {
          error: result.reason as Error,
        });
      } else if (result.value) {
        expiredThisRound += 1;
        outcome.delivered += result.value.delivered;
      }
    }
    outcome.expired += expiredThisRound;
    // The index is eventually consistent: stop when a round ends nothing new.
    if (overdue.length < batch || expiredThisRound === 0) break;
  }
  return outcome;
};
