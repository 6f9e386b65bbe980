import type { EventDetail, ParsedEvent } from '@tenant-assistant/contracts/events';
import type { AnswerId, TenantContext } from '@tenant-assistant/tenant-context';
import {
  lookUpOwnerConnections,
  type OwnerConnections,
  type PushDeps,
  type PushOutcome,
  pushToOwner,
} from '../connections/push';
import { AnswerTenantMismatchError, AnswerVersionConflictError } from '../errors';
import type { AnswersRepository, Clock, ServerMessage } from '../ports';
import { type Answer, type AnswerKey, mergeChunk } from './model';

/** The answer events chat-api consumes, already validated against the contract (owner checked). */
export type AnswerEvent = ParsedEvent<'AnswerChunk' | 'AnswerCompleted' | 'AnswerFailed'>;

export interface AnswerEventDeps extends PushDeps {
  answers: AnswersRepository;
  clock: Clock;
  /** Read-merge-write attempts when other chunks of the same answer are applied concurrently (default 10). */
  maxAttempts?: number;
  /** Waits before another attempt (default: random jitter growing from 5 ms to at most 200 ms). */
  backoff?: (attempt: number) => Promise<void>;
}

const jitteredBackoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

export type AnswerEventOutcome =
  | { applied: true; push: PushOutcome }
  | { applied: false; reason: 'missing' | 'final' | 'duplicate' | 'too-far-ahead' };

const NO_PUSH: PushOutcome = { delivered: 0, removed: 0, failed: 0 };

/**
 * Reads the answer an event names and checks the event's tenant owns it. An answer stored under
 * another tenant is a security event: logged and refused with AnswerTenantMismatchError.
 */
const readOwnedAnswer = async (deps: AnswerEventDeps, key: AnswerKey, owner: TenantContext) => {
  const answer = await deps.answers.get(key);
  if (answer && answer.tenantId !== owner.tenantId) {
    deps.logger.warn('Security event: refused an answer event whose tenant does not own the answer', {
      security_event: 'ANSWER_TENANT_MISMATCH',
    });
    throw new AnswerTenantMismatchError();
  }
  return answer;
};

const applyChunk = async (
  deps: AnswerEventDeps,
  key: AnswerKey,
  owner: TenantContext,
  detail: EventDetail<'AnswerChunk'>,
): Promise<AnswerEventOutcome> => {
  const maxAttempts = deps.maxAttempts ?? 10;
  const backoff = deps.backoff ?? jitteredBackoff;
  let connections: OwnerConnections | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (attempt > 1) await backoff(attempt - 1);
    const answer: Answer | undefined = await readOwnedAnswer(deps, key, owner);
    if (!answer) return { applied: false, reason: 'missing' };
    const decision = mergeChunk(answer, detail.seq, detail.text);
    if (!decision.apply) return { applied: false, reason: decision.reason };
    // A chunk that extends the answer is pushed once saved: look up the connections meanwhile.
    if (decision.appended !== '') connections ??= lookUpOwnerConnections(deps, owner);
    try {
      await deps.answers.saveProgress(key, answer.version, decision.progress, deps.clock());
    } catch (error) {
      if (error instanceof AnswerVersionConflictError) continue; // someone else changed it: re-read
      throw error;
    }
    if (decision.appended === '') return { applied: true, push: NO_PUSH }; // waits for an earlier chunk
    const push = await pushToOwner(
      deps,
      owner,
      {
        type: 'answer.chunk',
        answerId: key.answerId,
        seq: decision.progress.lastSeq,
        delta: decision.appended,
        text: decision.progress.text,
      },
      connections,
    );
    return { applied: true, push };
  }
  throw new AnswerVersionConflictError(); // the invocation fails and is retried
};

/**
 * Applies an answer event to the stored answer and pushes the change to the owner's connections.
 * Chunks are applied in `seq` order whatever order they arrive in, each once (optimistic
 * concurrency on the answer's version); completion and failure are applied once, and nothing
 * changes a COMPLETED or FAILED answer. Events for unknown answers are ignored.
 *
 * Completion and failure are one conditional write (open answer of this tenant) while the owner's
 * connections are looked up; only when the write is refused is the answer read, to tell a missing
 * or final answer from another tenant's (a security event). So the usual completion costs one
 * round trip to the table before the push, not three.
 *
 * @example await applyAnswerEvent(deps, { detailType: event['detail-type'], detail: event.detail });
 */
export const applyAnswerEvent = async (
  deps: AnswerEventDeps,
  event: AnswerEvent,
): Promise<AnswerEventOutcome> => {
  const { tenantId, userId, answerId } = event.detail;
  const owner: TenantContext = { tenantId, userId };
  const key: AnswerKey = { userId, answerId: answerId as AnswerId };

  if (event.detailType === 'AnswerChunk') return applyChunk(deps, key, owner, event.detail);

  const connections = lookUpOwnerConnections(deps, owner);
  const finished =
    event.detailType === 'AnswerCompleted'
      ? await deps.answers.complete(key, tenantId, event.detail.text, deps.clock())
      : await deps.answers.fail(key, tenantId, event.detail.reason, deps.clock());
  if (!finished) {
    // Refused by the write's condition: say why (and refuse another tenant's answer loudly).
    const answer = await readOwnedAnswer(deps, key, owner);
    return { applied: false, reason: answer ? 'final' : 'missing' };
  }
  const message: ServerMessage =
    event.detailType === 'AnswerCompleted'
      ? { type: 'answer.completed', answerId: key.answerId, text: event.detail.text }
      : { type: 'answer.failed', answerId: key.answerId, reason: event.detail.reason };
  return { applied: true, push: await pushToOwner(deps, owner, message, connections) };
};
