import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AdminKey,
  type AuthenticatedCaller,
  AuthenticationFault,
  authenticateCaller,
} from '../common/caller';
import { BodyTooLargeError, type ListenOptions, type LocalEndpoint, readBody } from '../common/net';
import {
  AwsJsonFault,
  isJsonObject,
  parseJsonObject,
  sendAwsJson,
  serveStandIn,
  signedRequestOf,
} from '../common/server';
import { ConfigurationError } from '../errors';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type PolicyDocument, type RoleRegistry } from '../iam/types';
import {
  type AsyncInvocation,
  type AsyncInvoker,
  type AsyncTarget,
  createAsyncInvoker,
  type DeadLetterSink,
} from '../lambda/async-invocation';
import type { SessionStore } from '../sts/session-store';
import { authorizeEntry } from './authorization';
import { ruleTargetOf } from './delivery-settings';
import { matchesValidPattern, validateEventPattern } from './pattern';
import { type EventBridgeRule, eventBusName } from './serverless-rules';

/** The event as EventBridge hands it to a target. */
export interface EventBridgeEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** Delivers one matched event to a rule's target (e.g. invokes the Lambda through serverless-offline). */
export type EventBridgeInvoke = (target: EventBridgeRule, event: EventBridgeEnvelope) => Promise<unknown>;

export interface LocalEventBridgeOptions extends ListenOptions {
  rules: readonly EventBridgeRule[];
  /** Runs a rule's target once (required unless `asyncInvoker` is given, whose own invoke is used). */
  invoke?: EventBridgeInvoke;
  /**
   * A shared model of Lambda's asynchronous invocation (e.g. also used by a local Lambda Invoke
   * stand-in, so reserved concurrency counts both); by default the bus creates its own around `invoke`.
   */
  asyncInvoker?: AsyncInvoker;
  accountId?: string;
  region?: string;
  /** Known buses; when given, events for other buses are refused per entry. `default` always exists. */
  buses?: readonly string[];
  /**
   * Deliveries follow Lambda's asynchronous invocation (see `createAsyncInvoker`): the target
   * function's `maximumRetryAttempts`/`maximumEventAge`/`destinations.onFailure` and the rule
   * target's `retryPolicy`/`deadLetterQueueArn` from serverless.yml.
   */
  retry?: {
    /** Attempts after function errors when the function sets no `maximumRetryAttempts` (default 3, as Lambda). */
    maxAttempts?: number;
    /** Delay before the second attempt, doubled each time (default Lambda's 1 minute × `delayScale`). */
    baseDelayMs?: number;
    /** Factor applied to AWS's retry delays (default 1/600: 1 and 2 minutes become 100 and 200 ms). */
    delayScale?: number;
  };
  /** Where exhausted events go (dead-letter queues and on-failure destinations; the local SQS stand-in). */
  deadLetters?: DeadLetterSink;
  now?: () => Date;
  /**
   * IAM as in AWS: when given, every request must be SigV4-signed by an STS session (a function's
   * role session or an assumed role) or an admin key, and each entry is evaluated — the caller's
   * role policies and the bus's resource policy, with `events:source` / `events:detail-type` — and
   * refused on its own (`AccessDeniedException`, `NotAuthorizedForSourceException`,
   * `NotAuthorizedForDetailTypeException`) while the other entries go on. Without it nothing is
   * authenticated.
   */
  iam?: EventBridgeIamOptions;
}

export interface EventBridgeIamOptions {
  sessions: SessionStore;
  /** The roles sessions stand for, with their identity policies. */
  roles: RoleRegistry;
  /** Resource policies by bus name (e.g. from the packaged templates' `AWS::Events::EventBusPolicy`). */
  busPolicies?: Readonly<Record<string, PolicyDocument>>;
  /** Keys that are authenticated but not evaluated (dev tools). */
  admins?: readonly AdminKey[];
}

export interface PublishedEvent {
  eventBus: string;
  event: EventBridgeEnvelope;
  /** `<service>.<functionName>` of every rule that matched. */
  matched: string[];
}

export interface EventDelivery {
  rule: EventBridgeRule;
  event: EventBridgeEnvelope;
  status: 'pending' | 'delivered' | 'failed';
  /** Calls of the target, first one included. */
  attempts: number;
  /** Message of the last error. */
  error?: string;
  /** The dead-letter queue or on-failure destination the exhausted event went to, and why. */
  deadLetter?: AsyncInvocation['deadLetter'];
}

export interface LocalEventBridge extends LocalEndpoint {
  /** Events accepted by PutEvents, in order. */
  published(): readonly PublishedEvent[];
  /** Every delivery to a rule's target with its state. */
  deliveries(): readonly EventDelivery[];
  /** Deliveries that failed after all attempts. */
  failures(): readonly EventDelivery[];
  /** Resolves when no delivery is pending (or rejects after `timeoutMs`, default 10 s). */
  drain(timeoutMs?: number): Promise<void>;
}

const MAX_ENTRIES = 10;
const MAX_REQUEST_SIZE = 256 * 1024;

type Json = Record<string, unknown>;
const isRecord = isJsonObject;

class EventsFault extends AwsJsonFault {}

/** Entry size as EventBridge computes it (UTF-8 bytes of Source, DetailType, Detail, Resources; 14 for Time). */
const entrySize = (entry: Json): number => {
  let size = entry.Time === undefined ? 0 : 14;
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] === 'string') size += Buffer.byteLength(entry[field] as string, 'utf8');
  }
  if (Array.isArray(entry.Resources)) {
    for (const resource of entry.Resources)
      if (typeof resource === 'string') size += Buffer.byteLength(resource, 'utf8');
  }
  return size;
};

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Local stand-in for Amazon EventBridge's PutEvents (JSON 1.1 protocol). Entries are validated like
 * AWS does; matching rules (usually read from the services' serverless.yml) get the event, in the
 * EventBridge envelope, through `invoke` — asynchronously, never delaying PutEvents, through the
 * local model of Lambda's asynchronous invocation (`createAsyncInvoker`): retries with back-off, a
 * function's reserved concurrency, maximum event ages, and exhausted events sent to the target's
 * dead-letter queue or the function's on-failure destination (`deadLetters`).
 */
export const startLocalEventBridge = async (options: LocalEventBridgeOptions): Promise<LocalEventBridge> => {
  const now = options.now ?? (() => new Date());
  const account = options.accountId ?? LOCAL_ACCOUNT_ID;
  const region = options.region ?? LOCAL_REGION;
  const buses = options.buses ? new Set(['default', ...options.buses.map(eventBusName)]) : undefined;
  for (const rule of options.rules) validateEventPattern(rule.pattern);
  const rules = options.rules.map((rule) => ({ ...rule, eventBus: eventBusName(rule.eventBus) }));

  const published: PublishedEvent[] = [];
  const deliveries: { rule: EventBridgeRule; event: EventBridgeEnvelope; invocation: AsyncInvocation }[] = [];
  // One asynchronous-invocation target per rule (its function's settings and the rule's policy).
  const targets = new Map<EventBridgeRule, ReturnType<typeof ruleTargetOf>>();
  const ruleOfTarget = new Map<AsyncTarget, EventBridgeRule>();
  for (const rule of rules) {
    const resolved = ruleTargetOf(rule, { accountId: account, region });
    targets.set(rule, resolved);
    ruleOfTarget.set(resolved.target, rule);
  }
  const invoke = options.invoke;
  if (!options.asyncInvoker && !invoke) {
    throw new ConfigurationError('startLocalEventBridge needs invoke or asyncInvoker');
  }
  const invoker =
    options.asyncInvoker ??
    createAsyncInvoker({
      invoke: (target, event) =>
        (invoke as EventBridgeInvoke)(
          ruleOfTarget.get(target) as EventBridgeRule,
          event as EventBridgeEnvelope,
        ),
      ...(options.deadLetters ? { deadLetters: options.deadLetters } : {}),
      ...(options.retry?.maxAttempts === undefined
        ? {}
        : { defaultAttempts: Math.max(1, options.retry.maxAttempts) }),
      ...(options.retry?.baseDelayMs === undefined ? {} : { baseDelayMs: options.retry.baseDelayMs }),
      ...(options.retry?.delayScale === undefined ? {} : { delayScale: options.retry.delayScale }),
      accountId: account,
      region,
    });
  const schedule = (rule: EventBridgeRule, event: EventBridgeEnvelope) => {
    const { target, via } = targets.get(rule) as ReturnType<typeof ruleTargetOf>;
    deliveries.push({ rule, event, invocation: invoker.invoke(target, event, via) });
  };
  const view = (delivery: (typeof deliveries)[number]): EventDelivery => ({
    rule: delivery.rule,
    event: delivery.event,
    status: delivery.invocation.status,
    attempts: delivery.invocation.attempts,
    ...(delivery.invocation.error === undefined ? {} : { error: delivery.invocation.error }),
    ...(delivery.invocation.deadLetter ? { deadLetter: delivery.invocation.deadLetter } : {}),
  });

  const putEvents = async (body: Json, caller: AuthenticatedCaller | undefined): Promise<Json> => {
    const entries = body.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new EventsFault(
        400,
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES} and greater than or equal to 1`,
      );
    }
    const totalSize = entries.reduce(
      (sum: number, entry: unknown) => sum + (isRecord(entry) ? entrySize(entry) : 0),
      0,
    );
    if (totalSize > MAX_REQUEST_SIZE) {
      throw new EventsFault(
        400,
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    const results: Json[] = [];
    let failed = 0;
    for (const raw of entries as unknown[]) {
      const entry = isRecord(raw) ? raw : {};
      const fail = (ErrorCode: string, ErrorMessage: string) => {
        failed += 1;
        results.push({ ErrorCode, ErrorMessage });
      };
      if (typeof entry.Source !== 'string' || entry.Source === '') {
        fail('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
        continue;
      }
      if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
        fail(
          'InvalidArgument',
          'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
        );
        continue;
      }
      if (typeof entry.Detail !== 'string' || entry.Detail === '') {
        fail('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
        continue;
      }
      if (entry.Source.toLowerCase().startsWith('aws.')) {
        fail('NotAuthorizedForSourceException', 'Not authorized for the source.');
        continue;
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        detail = undefined;
      }
      if (!isRecord(detail)) {
        fail('MalformedDetail', 'Detail is malformed.');
        continue;
      }
      const bus = eventBusName(
        typeof entry.EventBusName === 'string' && entry.EventBusName ? entry.EventBusName : 'default',
      );
      if (buses && !buses.has(bus)) {
        fail('InvalidArgument', `Event bus ${bus} does not exist.`);
        continue;
      }
      if (caller?.kind === 'session' && options.iam) {
        const refusal = await authorizeEntry({
          session: caller.session,
          region: caller.region,
          busArn: `arn:aws:events:${region}:${account}:event-bus/${bus}`,
          source: entry.Source,
          detailType: entry.DetailType,
          roles: options.iam.roles,
          busPolicy: options.iam.busPolicies?.[bus],
          now: now(),
        });
        if (refusal) {
          fail(refusal.code, refusal.message);
          continue;
        }
      }
      const time =
        typeof entry.Time === 'number'
          ? new Date(entry.Time * 1000)
          : typeof entry.Time === 'string'
            ? new Date(entry.Time)
            : now();
      const event: EventBridgeEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account,
        time: isoSeconds(Number.isNaN(time.getTime()) ? now() : time),
        region,
        resources: Array.isArray(entry.Resources)
          ? entry.Resources.filter((r): r is string => typeof r === 'string')
          : [],
        detail,
      };
      const matched = rules.filter(
        (rule) => rule.eventBus === bus && matchesValidPattern(rule.pattern, event),
      );
      published.push({
        eventBus: bus,
        event,
        matched: matched.map((rule) => `${rule.service}.${rule.functionName}`),
      });
      for (const rule of matched) schedule(rule, event);
      results.push({ EventId: event.id });
    }
    return { FailedEntryCount: failed, Entries: results };
  };

  const send = (res: ServerResponse, status: number, body: Json) =>
    sendAwsJson(res, status, body, 'application/x-amz-json-1.1');

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const raw = await readBody(req, MAX_REQUEST_SIZE * 2);
      // Authentication comes first, as in AWS: an unsigned or unknown caller learns nothing more.
      const caller = options.iam
        ? await authenticateCaller(signedRequestOf(req, raw), {
            sessions: options.iam.sessions,
            admins: options.iam.admins ?? [],
            now,
          })
        : undefined;
      if (target !== 'AWSEvents.PutEvents') {
        throw new EventsFault(
          400,
          'UnknownOperationException',
          `The local EventBridge stand-in does not support ${target || 'this request'}`,
        );
      }
      const body = parseJsonObject(raw);
      if (!body) {
        throw new EventsFault(
          400,
          'SerializationException',
          'Start of structure or map found where not expected.',
        );
      }
      send(res, 200, await putEvents(body, caller));
    } catch (error) {
      if (error instanceof AuthenticationFault) {
        send(res, 400, { __type: error.code, message: error.message });
      } else if (error instanceof EventsFault) {
        send(res, error.status, { __type: error.type, message: error.message });
      } else if (error instanceof BodyTooLargeError) {
        send(res, 413, { __type: 'ValidationException', message: 'Request too large' });
      } else {
        send(res, 500, { __type: 'InternalException', message: 'The local EventBridge stand-in failed.' });
      }
    }
  };

  const { url, close: closeServer } = await serveStandIn(options, handle);

  return {
    url,
    published: () => [...published],
    deliveries: () => deliveries.map(view),
    failures: () => deliveries.map(view).filter((delivery) => delivery.status === 'failed'),
    drain: (timeoutMs) => invoker.drain(timeoutMs),
    close: async () => {
      if (!options.asyncInvoker) invoker.close(); // a shared one is closed by its owner
      await closeServer();
    },
  };
};
