import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { ANSWER_FAILURE_REASONS, type AnswerFailureKind } from '@tenant-assistant/contracts/events';
import { PutEventsFailedError } from '@tenant-assistant/tenant-context';
import {
  AnswerTooLongError,
  DeadlineExceededError,
  EmptyAnswerError,
  NotATenantMemberError,
} from '../errors';

/**
 * The only reasons an `AnswerFailed` event may carry (the contract's closed set, in @tenant-assistant/contracts):
 * fixed strings that are safe to show to the user. Raw error messages never leave this service.
 */
export const FAILURE_REASONS = ANSWER_FAILURE_REASONS;
export type FailureKind = AnswerFailureKind;

/** Bedrock Agent Runtime errors that mean "too many requests right now". */
const BUSY_ERRORS = new Set(['ServiceQuotaExceededException', 'ConflictException']);
/** Bedrock Agent Runtime errors that are worth another attempt (besides throttling and 5xx). */
const TRANSIENT_ERRORS = new Set([
  'InternalServerException',
  'BadGatewayException',
  'ModelNotReadyException',
]);
const TIMEOUT_ERRORS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
/** Per-entry PutEvents error codes worth another attempt (the others are the request's fault). */
const RETRYABLE_ENTRY_ERRORS = new Set(['InternalFailure', 'ThrottlingException']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

const isErrorLike = (value: unknown): value is ErrorLike & Error =>
  typeof value === 'object' && value !== null && 'name' in value;

/** The error and its causes, outermost first (bounded, cycle-safe). */
const chain = (error: unknown): (ErrorLike & Error)[] => {
  const errors: (ErrorLike & Error)[] = [];
  let current = error;
  while (isErrorLike(current) && errors.length < 5 && !errors.includes(current)) {
    errors.push(current);
    current = current.cause;
  }
  return errors;
};

const isBusy = (error: ErrorLike & Error): boolean =>
  isThrottlingError(error as Parameters<typeof isThrottlingError>[0]) || BUSY_ERRORS.has(String(error.name));

/** EventBridge accepted the call but refused entries, each for a reason that may pass. */
const isTransientEntryFailure = (error: unknown): boolean =>
  error instanceof PutEventsFailedError &&
  error.failedEntries.every((entry) => RETRYABLE_ENTRY_ERRORS.has(entry.errorCode ?? 'InternalFailure'));

const isTransient = (error: ErrorLike & Error): boolean =>
  TRANSIENT_ERRORS.has(String(error.name)) ||
  isTransientEntryFailure(error) ||
  error.$fault === 'server' ||
  (error.$metadata?.httpStatusCode ?? 0) >= 500 ||
  isTransientError(error as Parameters<typeof isTransientError>[0]);

/**
 * Whether another attempt may succeed: throttling, conflicts on a busy session, timeouts, network
 * errors, 5xx and PutEvents entries refused with InternalFailure/ThrottlingException (also when
 * wrapped, e.g. in tenant-context's ScopedCredentialsError). Our own
 * deadline and aborts are never retried.
 */
export const isRetryableError = (error: unknown): boolean => {
  const errors = chain(error);
  if (errors.some((e) => e instanceof DeadlineExceededError || e.name === 'AbortError')) return false;
  return errors.some((e) => isBusy(e) || isTransient(e));
};

/** Which safe reason describes a failure; `partial` when some of the answer was already published. */
export const failureKindOf = (error: unknown, options: { partial: boolean }): FailureKind => {
  const errors = chain(error);
  if (errors.some((e) => e instanceof DeadlineExceededError)) return 'timeout';
  if (options.partial) return 'interrupted';
  if (errors.some((e) => e instanceof NotATenantMemberError)) return 'invalidRequest';
  if (errors.some((e) => e instanceof EmptyAnswerError)) return 'empty';
  if (errors.some((e) => e instanceof AnswerTooLongError)) return 'tooLong';
  if (errors.some(isBusy)) return 'busy';
  if (errors.some((e) => TIMEOUT_ERRORS.has(String(e.name)))) return 'timeout';
  return 'unavailable';
};

/** What may be logged about an error: names, codes, HTTP status and request ids, never messages. */
export interface ErrorDescription {
  name: string;
  code?: string;
  http_status?: number;
  request_id?: string;
  fault?: string;
  cause?: ErrorDescription;
}

const describeOne = (e: ErrorLike & Error): ErrorDescription => ({
  name: String(e.name),
  ...(typeof e.code === 'string' ? { code: e.code } : {}),
  ...(e.$metadata?.httpStatusCode ? { http_status: e.$metadata.httpStatusCode } : {}),
  ...(e.$metadata?.requestId ? { request_id: e.$metadata.requestId } : {}),
  ...(typeof e.$fault === 'string' ? { fault: e.$fault } : {}),
});

const describeChain = (errors: (ErrorLike & Error)[]): ErrorDescription | undefined => {
  const [head, ...causes] = errors;
  if (!head) return undefined;
  const cause = describeChain(causes);
  return { ...describeOne(head), ...(cause ? { cause } : {}) };
};

/**
 * A log-safe description of an error and its causes. Messages are left out on purpose: AWS
 * validation errors can echo request values, and the request carries scoped credentials.
 *
 * @example logger.warn('Agent call failed', { error: describeError(error) });
 */
export const describeError = (error: unknown): ErrorDescription =>
  describeChain(chain(error)) ?? { name: typeof error };
