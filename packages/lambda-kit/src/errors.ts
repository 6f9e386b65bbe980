import type * as z from 'zod';

/** What every {@link AppError} is built from. */
export interface AppErrorOptions {
  /** The error's `name`: its class name, declared with its code and status (default `AppError`). */
  name?: string;
  /** Stable machine-readable code, e.g. `ANSWER_NOT_FOUND`. */
  code: string;
  /** The HTTP status the outcome maps to (default 500). */
  statusCode?: number;
  /** Whether the message may be shown to the caller (default: only for 4xx). */
  expose?: boolean;
  cause?: unknown;
}

/**
 * The one error base of every Tenant Assistant package and service: a stable `name` and `code`,
 * `cause` kept, and the HTTP shape middy's `http-error-handler` reads (`statusCode`, `expose`;
 * only exposed messages ever reach a caller, everything else becomes a generic 500).
 *
 * It is our own class rather than `@middy/util`'s `HttpError` for two reasons: that class imports
 * `node:http` (the web bundle imports tenant-context's errors, so the base must be browser-safe),
 * and it derives `name` from the status, while ours name the outcome and carry a `code`.
 * middy's error handler reads the two fields, not the class, so both map the same way.
 *
 * @example
 * export class AnswerNotFoundError extends AppError {
 *   constructor(cause?: unknown) {
 *     super('Answer not found', { name: 'AnswerNotFoundError', code: 'ANSWER_NOT_FOUND', statusCode: 404, cause });
 *   }
 * }
 */
export class AppError extends Error {
  /** Stable machine-readable code, e.g. `UNAUTHORIZED`. */
  readonly code: string;
  /** HTTP status this error maps to. */
  readonly statusCode: number;
  /** Whether the message is safe to show to the caller. */
  readonly expose: boolean;

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name ?? 'AppError';
    this.code = options.code;
    this.statusCode = options.statusCode ?? 500;
    this.expose = options.expose ?? this.statusCode < 500;
  }
}

/** True for an {@link AppError} (or a lookalike from another copy of this package) with a 4xx status. */
export const isRefusal = (error: unknown): error is AppError => {
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  return (
    error instanceof Error &&
    typeof code === 'string' &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500
  );
};

/** A required configuration value (an environment variable) is missing or malformed: a deployment mistake. */
export class ConfigurationError extends AppError {
  /** What is wrong, one line per variable (`NAME: problem`). */
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], cause?: unknown) {
    super(message, { name: 'ConfigurationError', code: 'CONFIGURATION', cause });
    this.issues = issues;
  }
}

export interface IssuesOfOptions {
  /** What an issue without a path is about, e.g. `(body)` (default `(root)`). */
  root?: string;
  /** Between path and message (default `': '`). */
  separator?: string;
  /** `message` (default) or `code` — the code when even the message could say too much. */
  describe?: 'message' | 'code';
}

/**
 * One line per zod issue, `path: message`; the submitted values are never echoed.
 * @example issuesOf(result.error, { root: '(body)' }) // ['prompt: must not be empty']
 */
export const issuesOf = (error: z.ZodError, options: IssuesOfOptions = {}): string[] => {
  const { root = '(root)', separator = ': ', describe = 'message' } = options;
  return error.issues.map(
    (issue) =>
      `${issue.path.join('.') || root}${separator}${describe === 'code' ? issue.code : issue.message}`,
  );
};

/** The body or a field is larger than accepted: HTTP 413. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string, code = 'PAYLOAD_TOO_LARGE') {
    super(message, { name: 'PayloadTooLargeError', code, statusCode: 413 });
  }
}

/** No route of this function matches the request (a misrouted call): HTTP 404. */
export class RouteNotFoundError extends AppError {
  constructor() {
    super('Not found', { name: 'RouteNotFoundError', code: 'NOT_FOUND', statusCode: 404 });
  }
}

/** The body of every HTTP error response: `{"error":{"code","message"}}`. */
export interface ErrorBody {
  error: { code: string; message: string };
}
