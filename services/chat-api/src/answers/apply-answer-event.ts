import type { EventDetail, ParsedEvent } from '@tenant-assistant/contracts/events';
import type { AnswerId, TenantContext } from '@tenant-assistant/tenant-context';
import {
  lookUpOwnerConnections,
  type OwnerConnections,
  type PushDeps,
  type PushOutcome,
  pushToOwner,
} from '../connections/push';
import { AnswerTenantMismatchError } from '../errors';
import type { AnswersRepository, Clock, ServerMessage } from '../ports';
import { expireOverdue } from './deadline';
import { type AnswerKey, isOverdue } from './model';

/** The answer events chat-api consumes, already validated against the contract (owner checked). */
export type AnswerEvent = ParsedEvent<'AnswerChunk' | 'AnswerCompleted' | 'AnswerFailed'>;

export interface AnswerEventDeps extends PushDeps {
  answers: AnswersRepository;
  clock: Clock;
}

export type AnswerEventOutcome =
  | { applied: true; push: PushOutcome }
  | { applied: false; reason: 'missing' | 'final' }
  | { applied: false; reason: 'timed-out'; push: PushOutcome };

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

/**
 * Says why the write of an event was refused (it never says so itself): a missing or final answer
 * is left alone, another tenant's is a security event, and an open answer past its deadline is
 * ended here — this late event is the path that noticed (FAILED, timed out, pushed to the owner).
 */
const explainRefusal = async (
  deps: AnswerEventDeps,
  key: AnswerKey,
  owner: TenantContext,
  connections: OwnerConnections,
): Promise<AnswerEventOutcome> => {
  const answer = await readOwnedAnswer(deps, key, owner);
  if (!answer) return { applied: false, reason: 'missing' };
  const now = deps.clock();
  if (!isOverdue(answer, now)) return { applied: false, reason: 'final' };
  const push = await expireOverdue(deps, { ...key, tenantId: answer.tenantId }, now, connections);
  return push ? { applied: false, reason: 'timed-out', push } : { applied: false, reason: 'final' };
};

/** The write an event makes: one conditional UpdateItem, whatever the event. */
const writeEvent = (deps: AnswerEventDeps, key: AnswerKey, event: AnswerEvent, now: Date) => {
  const { tenantId } = event.detail;
  switch (event.detailType) {
    case 'AnswerChunk':
      return deps.answers.saveChunk(key, tenantId, event.detail.seq, event.detail.text, now);
    case 'AnswerCompleted':
      return deps.answers.complete(key, tenantId, event.detail.text, now);
    case 'AnswerFailed':
      return deps.answers.fail(key, tenantId, event.detail.reason, now);
  }
};

/** What the owner is told about an applied event. */
const messageOf = (answerId: AnswerId, event: AnswerEvent): ServerMessage => {
  switch (event.detailType) {
    case 'AnswerChunk':
      return { type: 'answer.chunk', answerId, seq: event.detail.seq, delta: event.detail.text };
    case 'AnswerCompleted':
      return { type: 'answer.completed', answerId, text: event.detail.text };
    case 'AnswerFailed':
      return { type: 'answer.failed', answerId, reason: event.detail.reason };
  }
};

/**
 * Applies an answer event to the stored answer and pushes it to the owner's connections. Every
 * event is ONE conditional write (open answer of this tenant, before its deadline) while the
 * owner's connections are looked up; nothing is read first and nothing is retried, so chunks of
 * one answer never contend with each other or with its completion:
 * - a chunk is stored under its `seq` (a duplicate rewrites the same text) and pushed as it is;
 *   the client joins chunks in `seq` order, and they may be lost — they are progress only;
 * - the completion carries the whole text and is authoritative; completion and failure are
 *   applied once, and nothing changes a COMPLETED or FAILED answer (a late event never reopens it);
 * - only when the write is refused is the answer read: to ignore a missing or final answer, to
 *   refuse another tenant's loudly, or to end an open answer past its deadline (timed out).
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

  const connections = lookUpOwnerConnections(deps, owner);
  const written = await writeEvent(deps, key, event, deps.clock());
  if (!written) return explainRefusal(deps, key, owner, connections);
  return { applied: true, push: await pushToOwner(deps, owner, messageOf(key.answerId, event), connections) };
};
