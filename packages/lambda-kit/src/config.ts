import * as z from 'zod';
import { ConfigurationError, issuesOf } from './errors';

/** The environment a configuration is read from (`process.env` unless a test passes its own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, trimmed; blank counts as missing. */
const value = z.preprocess(
  (raw) => (typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined),
  z.string({ error: 'is not set' }),
);

const shown = (raw: string) => JSON.stringify(raw);

/**
 * zod schemas of environment variables, with messages that read after the variable's name
 * (`PROMPTS_PER_MINUTE must be a positive integer, got "ten"`).
 */
export const env = {
  /** A required string (trimmed; blank is missing). */
  string: () => value,
  /** A required string matching `pattern`. */
  matching: (pattern: RegExp) =>
    value.refine((raw) => pattern.test(raw), { error: `does not match ${pattern}` }),
  /** A required integer from `min` to `max`. */
  integer: ({ min, max }: { min: number; max: number }) =>
    value.transform((raw, context) => {
      const parsed = Number(raw);
      if (Number.isInteger(parsed) && parsed >= min && parsed <= max) return parsed;
      context.issues.push({
        code: 'custom',
        input: raw,
        message: `must be an integer from ${min} to ${max}, got ${shown(raw)}`,
      });
      return z.NEVER;
    }),
  /** A required integer above 0. */
  positiveInteger: () =>
    value.transform((raw, context) => {
      const parsed = Number(raw);
      if (Number.isInteger(parsed) && parsed > 0) return parsed;
      context.issues.push({
        code: 'custom',
        input: raw,
        message: `must be a positive integer, got ${shown(raw)}`,
      });
      return z.NEVER;
    }),
  /** A required `true` or `false` (any case). */
  boolean: () =>
    value.transform((raw, context) => {
      const lower = raw.toLowerCase();
      if (lower === 'true' || lower === 'false') return lower === 'true';
      context.issues.push({
        code: 'custom',
        input: raw,
        message: `must be "true" or "false", got ${shown(raw)}`,
      });
      return z.NEVER;
    }),
  /** A required comma-separated list (items trimmed, blanks dropped). */
  list: () =>
    value.transform((raw) =>
      raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  /** An optional variable: `fallback` when unset or blank, else checked with `schema`. */
  optional: <T, F>(schema: z.ZodType<T>, fallback: F) =>
    z
      .string()
      .optional()
      .transform((raw, context): T | F => {
        if (raw === undefined || raw.trim() === '') return fallback;
        const result = schema.safeParse(raw);
        if (result.success) return result.data;
        for (const issue of result.error.issues) {
          context.issues.push({ code: 'custom', input: raw, message: issue.message });
        }
        return z.NEVER;
      }),
};

/** The variables a configuration reads: environment variable name → its schema. */
export type EnvSchema = z.ZodObject<Record<string, z.ZodType>>;

/**
 * Reads and checks the variables of `schema` now; throws ConfigurationError whose message names the
 * first missing or malformed variable (`AGENT_ID is not set`) and whose `issues` name all of them.
 *
 * @example const { EVENT_BUS_NAME } = readEnv(z.object({ EVENT_BUS_NAME: env.string() }), process.env);
 */
export const readEnv = <S extends EnvSchema>(schema: S, source: Env = process.env): z.output<S> => {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const issues = issuesOf(result.error, { separator: ' ' });
  throw new ConfigurationError(issues[0] ?? 'Invalid configuration', issues);
};

/**
 * Memoises a reader: it runs on first use (at cold start, not at import, so tests import handlers
 * freely) and its result is kept for the container's life. A failed read is not kept.
 *
 * @example const config = once(() => ({ userPoolId: userPoolIdFromEnv() }));
 */
export const once = <T>(read: () => T): (() => T) => {
  let cached: { value: T } | undefined;
  return () => {
    cached ??= { value: read() };
    return cached.value;
  };
};

/**
 * A configuration read from the environment once per container, on first use, and checked with
 * `schema`: every service's one way to read its environment. Throws ConfigurationError.
 *
 * @example
 * export const config = envConfig(z.object({ EVENT_BUS_NAME: env.string(), PROMPTS_PER_MINUTE: env.positiveInteger() }));
 * config().PROMPTS_PER_MINUTE // 10
 */
export const envConfig = <S extends EnvSchema>(schema: S, source: Env = process.env): (() => z.output<S>) =>
  once(() => readEnv(schema, source));

/**
 * One variable, read once on first use: for functions that each get only some of a service's
 * variables. Throws ConfigurationError.
 *
 * @example const eventBusName = envValue('EVENT_BUS_NAME', env.string()); eventBusName()
 */
export const envValue = <T>(name: string, schema: z.ZodType<T>, source: Env = process.env): (() => T) =>
  once(() => readEnv(z.object({ [name]: schema }), source)[name] as T);
