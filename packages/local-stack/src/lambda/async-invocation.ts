import { randomUUID } from 'node:crypto';
import { LocalStackError } from '../errors';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../iam/types';
import type { AsyncInvocationSettings } from './functions';

/**
 * Thrown by an invoke callback when the Lambda service itself could not be reached (nothing ran:
 * e.g. serverless-offline is down or restarting). EventBridge then retries the delivery under the
 * rule target's retry policy and finally puts the event in the target's dead-letter queue. Any
 * other error is a function error, retried by Lambda's asynchronous invocation settings.
 */
export class TargetUnreachableError extends LocalStackError {
  override name = 'TargetUnreachableError';
}

/** The function an asynchronous invocation runs. */
export interface AsyncTarget extends AsyncInvocationSettings {
  service: string;
  functionName: string;
  /** The deployed function name (`<service>-<stage>-<functionName>`); used in ARNs. */
  deployedName?: string;
  /** Most invocations running at once (`reservedConcurrency`); others wait in the queue. */
  reservedConcurrency?: number;
}

/** Where EventBridge delivered the event from, with the rule target's own retry policy. */
export interface RuleTargetPolicy {
  ruleArn: string;
  /** Retries of a failed delivery (0–185; AWS default 185). */
  maximumRetryAttempts?: number;
  /** Oldest event the rule still delivers, seconds (60–86400; AWS default 86400). */
  maximumEventAgeSeconds?: number;
  /** SQS queue ARN of the target's dead-letter queue. */
  deadLetterQueueArn?: string;
}

/** A message for a dead-letter queue or an on-failure destination. */
export interface DeadLetterMessage {
  body: string;
  messageAttributes?: Record<string, string>;
}

/** Delivers dead letters (in AWS, the Lambda and EventBridge services send them to SQS). */
export interface DeadLetterSink {
  send(queueArn: string, message: DeadLetterMessage): unknown;
}

export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded';

/** One asynchronous invocation and what became of it. */
export interface AsyncInvocation {
  target: AsyncTarget;
  payload: unknown;
  /** The rule target policy when EventBridge delivered it. */
  via?: RuleTargetPolicy;
  status: 'pending' | 'delivered' | 'failed';
  /** Calls of the invoke callback (first one included), whether or not they reached the function. */
  attempts: number;
  /** Attempts that ended in a function error. */
  functionErrors: number;
  /** Failed attempts to reach the Lambda service (EventBridge level). */
  deliveryFailures: number;
  /** Message of the last error. */
  error?: string;
  /** Where the failed invocation went, and why. */
  deadLetter?: {
    queueArn: string;
    condition: FailureCondition | 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';
  };
  acceptedAt: number;
}

export interface AsyncInvokerOptions {
  /** Runs the function once (e.g. through serverless-offline's Invoke API). */
  invoke: (target: AsyncTarget, payload: unknown) => Promise<unknown>;
  deadLetters?: DeadLetterSink;
  /**
   * Factor applied to AWS's retry delays (default 1/600: Lambda's 1 and 2 minutes become 100 and
   * 200 ms). Event ages are not scaled: a waiting event ages in real time, as in AWS.
   */
  delayScale?: number;
  /** Overrides the (scaled) delay before the second attempt; doubled for each further one. */
  baseDelayMs?: number;
  /** Attempts after function errors when the function sets no `maximumRetryAttempts` (default 3 = 1 + AWS's 2). */
  defaultAttempts?: number;
  /**
   * Most invocations of one function running at once when it sets no `reservedConcurrency`, like
   * an account's concurrency limit (new AWS accounts start at 10); unbounded by default.
   */
  defaultConcurrency?: number;
  accountId?: string;
  region?: string;
  now?: () => number;
}

export interface AsyncInvoker {
  /** Queues an invocation (like `Invoke` with `InvocationType: Event`) and returns its record. */
  invoke(target: AsyncTarget, payload: unknown, via?: RuleTargetPolicy): AsyncInvocation;
  invocations(): readonly AsyncInvocation[];
  /** Resolves when nothing is pending (rejects after `timeoutMs`, default 10 s). */
  drain(timeoutMs?: number): Promise<void>;
  close(): void;
}

const AWS_FIRST_RETRY_DELAY_MS = 60_000;
const AWS_LONGEST_DELIVERY_DELAY_MS = 600_000;
const DEFAULTS = { functionEventAgeSeconds: 21_600, targetRetries: 185, targetEventAgeSeconds: 86_400 };

const errorPayload = (error: unknown) => {
  const payload = (error as { payload?: unknown }).payload;
  if (typeof payload === 'object' && payload !== null && 'errorMessage' in payload) return payload;
  return {
    errorType: error instanceof Error ? error.name : 'Error',
    errorMessage: error instanceof Error ? error.message : String(error),
  };
};

/**
 * LOCAL STAND-IN for Lambda's asynchronous invocation (the event queue between EventBridge or an
 * `Invoke(Event)` caller and the function), as AWS documents it:
 * - a function error is retried `maximumRetryAttempts` times (AWS default 2), after about 1 and 2
 *   minutes (× `delayScale`); an event older than `maximumEventAge` is not run again; then the
 *   invocation record goes to the `onFailure` destination (condition `RetriesExhausted` or
 *   `EventAgeExceeded`), else it is dropped;
 * - a function with `reservedConcurrency` runs at most that many at once; the others wait in order
 *   (and age while they wait);
 * - when EventBridge delivered the event and the Lambda service could not be reached
 *   ({@link TargetUnreachableError}), the delivery is retried under the rule target's retry policy
 *   (exponential from 1 minute × `delayScale`, at most 10 minutes × `delayScale`) and finally put in
 *   the target's dead-letter queue with EventBridge's message attributes.
 */
export const createAsyncInvoker = (options: AsyncInvokerOptions): AsyncInvoker => {
  const now = options.now ?? Date.now;
  const scale = options.delayScale ?? 1 / 600;
  const firstDelay = options.baseDelayMs ?? AWS_FIRST_RETRY_DELAY_MS * scale;
  const longestDelivery = Math.max(firstDelay, AWS_LONGEST_DELIVERY_DELAY_MS * scale);
  const region = options.region ?? LOCAL_REGION;
  const account = options.accountId ?? LOCAL_ACCOUNT_ID;
  const invocations: AsyncInvocation[] = [];
  const inFlight = new Set<Promise<void>>();
  const sleeping = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sleeping.delete(timer);
        resolve();
      }, ms);
      sleeping.set(timer, resolve);
    });

  // Invocations running per function, and those waiting for its reserved concurrency.
  const functions = new Map<string, { running: number; waiting: (() => void)[] }>();
  const acquire = async (target: AsyncTarget): Promise<() => void> => {
    const limit = target.reservedConcurrency ?? options.defaultConcurrency;
    if (limit === undefined || limit < 1) return () => undefined;
    const key = `${target.service}.${target.functionName}`;
    let slots = functions.get(key);
    if (!slots) {
      slots = { running: 0, waiting: [] };
      functions.set(key, slots);
    }
    const own = slots;
    if (own.running < limit) own.running += 1;
    else {
      await new Promise<void>((resolve) => own.waiting.push(resolve)); // handed over by a release
      if (closed) return () => undefined; // woken by close(): holds no slot
    }
    return () => {
      const next = own.waiting.shift();
      if (next) next();
      else own.running -= 1;
    };
  };

  const functionArn = (target: AsyncTarget) =>
    `arn:aws:lambda:${region}:${account}:function:${target.deployedName ?? `${target.service}-${target.functionName}`}`;

  /** Lambda's on-failure destination record. */
  const toDestination = (invocation: AsyncInvocation, condition: FailureCondition, lastError?: unknown) => {
    const arn = invocation.target.onFailureArn;
    if (!arn || !options.deadLetters) return;
    const record = {
      version: '1.0',
      timestamp: new Date(now()).toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `${functionArn(invocation.target)}:$LATEST`,
        condition,
        approximateInvokeCount: invocation.attempts - invocation.deliveryFailures,
      },
      requestPayload: invocation.payload,
      ...(lastError === undefined
        ? {}
        : {
            responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
            responsePayload: errorPayload(lastError),
          }),
    };
    options.deadLetters.send(arn, { body: JSON.stringify(record) });
    invocation.deadLetter = { queueArn: arn, condition };
  };

  /** EventBridge's target dead-letter message. */
  const toTargetDeadLetterQueue = (
    invocation: AsyncInvocation,
    condition: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds',
  ) => {
    const via = invocation.via;
    if (!via?.deadLetterQueueArn || !options.deadLetters) return;
    options.deadLetters.send(via.deadLetterQueueArn, {
      body: JSON.stringify(invocation.payload),
      messageAttributes: {
        RULE_ARN: via.ruleArn,
        TARGET_ARN: functionArn(invocation.target),
        ERROR_CODE: 'SDK_CLIENT_ERROR',
        ERROR_MESSAGE: invocation.error ?? 'The target could not be reached',
        EXHAUSTED_RETRY_CONDITION: condition,
        RETRY_ATTEMPTS: String(Math.max(0, invocation.deliveryFailures - 1)),
      },
    });
    invocation.deadLetter = { queueArn: via.deadLetterQueueArn, condition };
  };

  const run = async (invocation: AsyncInvocation) => {
    const { target, via } = invocation;
    const attemptsAllowed =
      target.maximumRetryAttempts === undefined
        ? (options.defaultAttempts ?? 3)
        : 1 + target.maximumRetryAttempts;
    const functionAgeMs = (target.maximumEventAgeSeconds ?? DEFAULTS.functionEventAgeSeconds) * 1000;
    const deliveriesAllowed = 1 + (via?.maximumRetryAttempts ?? DEFAULTS.targetRetries);
    const targetAgeMs = (via?.maximumEventAgeSeconds ?? DEFAULTS.targetEventAgeSeconds) * 1000;
    let lastFunctionError: unknown;
    while (!closed) {
      const age = now() - invocation.acceptedAt;
      if (invocation.functionErrors > 0 && age > functionAgeMs) {
        invocation.status = 'failed';
        toDestination(invocation, 'EventAgeExceeded', lastFunctionError);
        return;
      }
      if (via && invocation.deliveryFailures > 0 && age > targetAgeMs) {
        invocation.status = 'failed';
        toTargetDeadLetterQueue(invocation, 'MaximumEventAgeInSeconds');
        return;
      }
      const release = await acquire(target);
      if (closed) {
        release();
        break;
      }
      if (invocation.functionErrors > 0 && now() - invocation.acceptedAt > functionAgeMs) {
        release(); // aged while waiting for a slot
        continue;
      }
      let failure: unknown;
      invocation.attempts += 1;
      try {
        // A copy per invocation: a handler mutating its event must not affect another.
        await options.invoke(target, structuredClone(invocation.payload));
        invocation.status = 'delivered';
        delete invocation.error;
        return;
      } catch (error) {
        failure = error;
        invocation.error = error instanceof Error ? error.message : String(error);
      } finally {
        release();
      }
      if (failure instanceof TargetUnreachableError && via) {
        invocation.deliveryFailures += 1;
        if (invocation.deliveryFailures >= deliveriesAllowed) {
          invocation.status = 'failed';
          toTargetDeadLetterQueue(invocation, 'MaximumRetryAttempts');
          return;
        }
        const ceiling = Math.min(longestDelivery, firstDelay * 2 ** (invocation.deliveryFailures - 1));
        await sleep(ceiling / 2 + (Math.random() * ceiling) / 2);
        continue;
      }
      invocation.functionErrors += 1;
      lastFunctionError = failure;
      if (invocation.functionErrors >= attemptsAllowed) {
        invocation.status = 'failed';
        toDestination(invocation, 'RetriesExhausted', failure);
        return;
      }
      await sleep(firstDelay * 2 ** (invocation.functionErrors - 1));
    }
    invocation.status = 'failed';
    invocation.error = 'The local asynchronous invocation stand-in was closed';
  };

  return {
    invoke(target, payload, via) {
      const invocation: AsyncInvocation = {
        target,
        payload,
        ...(via ? { via } : {}),
        status: 'pending',
        attempts: 0,
        functionErrors: 0,
        deliveryFailures: 0,
        acceptedAt: now(),
      };
      invocations.push(invocation);
      const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => run(invocation))
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
      return invocation;
    },
    invocations: () => [...invocations],
    drain: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0) {
        if (Date.now() > deadline)
          throw new Error(`Asynchronous invocations still pending after ${timeoutMs} ms`);
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => setTimeout(resolve, 50)),
        ]);
      }
    },
    close: () => {
      closed = true;
      for (const slots of functions.values()) for (const wake of slots.waiting.splice(0)) wake();
      for (const [timer, wake] of sleeping) {
        clearTimeout(timer);
        wake();
      }
      sleeping.clear();
    },
  };
};
