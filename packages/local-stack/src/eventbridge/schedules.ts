import { ServerlessConfig, type ServerlessConfigOptions } from '../common/serverless-config';
import { ConfigurationError } from '../errors';

/** One scheduled function of a service (`events: - schedule: rate(…)` in its serverless.yml). */
export interface ScheduledFunction {
  service: string;
  functionName: string;
  /** The schedule expression as written, e.g. `rate(1 minute)`. */
  expression: string;
  /** The rate in milliseconds. */
  rateMs: number;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `rate(5 minutes)` → 300000. Only `rate(…)` expressions are supported locally (a `cron(…)` one is
 * refused with a clear error rather than silently never run).
 */
export const parseRateExpression = (expression: string): number => {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (!match)
    throw new ConfigurationError(
      `Unsupported schedule expression ${JSON.stringify(expression)} (only rate(…))`,
    );
  const value = Number(match[1]);
  const unit = (match[2] as string).replace(/s$/, '');
  if (value <= 0) throw new ConfigurationError(`Schedule rate must be positive: ${expression}`);
  return value * (UNIT_MS[unit] as number);
};

/**
 * Reads the scheduled functions of a service's serverless.yml: `schedule: rate(…)` and
 * `schedule: { rate: rate(…) | [rate(…)], enabled }` events, with variables resolved for the stage.
 */
export const loadSchedulesFromServerlessYml = (
  path: string,
  options: ServerlessConfigOptions = {},
): ScheduledFunction[] => {
  const config = ServerlessConfig.load(path, options);
  const functions = isRecord(config.raw.functions) ? config.raw.functions : {};
  const schedules: ScheduledFunction[] = [];
  for (const [functionName, definition] of Object.entries(functions)) {
    if (!isRecord(definition) || !Array.isArray(definition.events)) continue;
    for (const event of definition.events) {
      if (!isRecord(event) || event.schedule === undefined) continue;
      const schedule = config.resolve(event.schedule);
      if (isRecord(schedule) && schedule.enabled === false) continue;
      const rates = isRecord(schedule) ? schedule.rate : schedule;
      for (const expression of Array.isArray(rates) ? rates : [rates]) {
        if (typeof expression !== 'string') {
          throw new ConfigurationError(
            `${path}: functions.${functionName}: a schedule needs a rate expression`,
          );
        }
        schedules.push({
          service: config.service,
          functionName,
          expression,
          rateMs: parseRateExpression(expression),
        });
      }
    }
  }
  return schedules;
};

/** The event EventBridge sends a scheduled target (`detail-type: Scheduled Event`). */
export const scheduledEvent = (
  schedule: ScheduledFunction,
  context: { region: string; accountId: string; stage: string },
  now = new Date(),
) => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: context.accountId,
  time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: context.region,
  resources: [
    `arn:aws:events:${context.region}:${context.accountId}:rule/${schedule.service}-${context.stage}-${schedule.functionName}-schedule`,
  ],
  detail: {},
});

export interface LocalScheduler {
  /** Runs one scheduled function now (tests), as its schedule would; resolves when it returned. */
  runNow(functionName: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface LocalSchedulerOptions {
  schedules: readonly ScheduledFunction[];
  /** Invokes the function with the scheduled event (e.g. through serverless-offline's Lambda API). */
  invoke(schedule: ScheduledFunction, event: ReturnType<typeof scheduledEvent>): Promise<unknown>;
  region: string;
  accountId: string;
  stage: string;
  /** The interval for a schedule (default: its rate). Locally a shorter one keeps waits short. */
  intervalMs?: (schedule: ScheduledFunction) => number;
  /** Receives invocation failures (the next tick runs again, as EventBridge would). */
  onError?: (schedule: ScheduledFunction, error: unknown) => void;
}

/**
 * A LOCAL STAND-IN for EventBridge scheduled rules: invokes each scheduled function every interval,
 * never two runs of one function at once (a tick that finds the previous run still going is
 * skipped, like a function with reserved concurrency 1 and no retries).
 */
export const startLocalScheduler = (options: LocalSchedulerOptions): LocalScheduler => {
  const running = new Map<string, Promise<unknown>>();
  const run = (schedule: ScheduledFunction): Promise<unknown> => {
    const existing = running.get(schedule.functionName);
    if (existing) return existing;
    const invocation = options
      .invoke(schedule, scheduledEvent(schedule, options))
      .catch((error: unknown) => {
        options.onError?.(schedule, error);
        return undefined;
      })
      .finally(() => running.delete(schedule.functionName));
    running.set(schedule.functionName, invocation);
    return invocation;
  };
  const timers = options.schedules.map((schedule) => {
    const timer = setInterval(() => void run(schedule), options.intervalMs?.(schedule) ?? schedule.rateMs);
    timer.unref();
    return timer;
  });
  return {
    runNow: (functionName) => {
      const schedule = options.schedules.find((candidate) => candidate.functionName === functionName);
      if (!schedule) throw new ConfigurationError(`No scheduled function ${functionName}`);
      return run(schedule);
    },
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running.values()]);
    },
  };
};
