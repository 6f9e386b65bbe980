import { errorBodySchema } from '@tenant-assistant/contracts/http';
import type * as z from 'zod';
import {
  ApiError,
  NetworkError,
  RateLimitedError,
  ServiceUnavailableError,
  SessionExpiredError,
  type WebError,
} from './errors';

/**
 * The one JSON-over-HTTP client of the app's APIs (chat-api, auth's admin API): Bearer = the ID
 * token, JSON in and out, a per-request timeout, 503 retried with backoff, 401 reported once, and
 * every error a WebError with a sentence for the user.
 */
export interface HttpClientDeps {
  /** The API's base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** A valid ID token (refreshed when near expiry); throws SessionExpiredError. */
  readonly getIdToken: () => Promise<string>;
  /** Called once the API refused the token (401). */
  readonly onUnauthorized?: () => void;
  /** Per-request timeout (default 15 s). */
  readonly timeoutMs?: number;
  /** Retries of a request answered 503 (default 3), after waits doubling from 1 s (or `Retry-After`). */
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A non-2xx answer as read once: status, `Retry-After` (seconds), the body and its envelope, if any. */
export interface FailedResponse {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly body: unknown;
  /** `code` of `{"error":{"code","message"}}`, else `HTTP_<status>`. */
  readonly code: string;
  /** `message` of the envelope, when there is one. */
  readonly serverMessage: string | undefined;
}

const retryAfterSecondsOf = (header: string | null): number | undefined => {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
};

/** Reads a failed response's body and envelope (API Gateway's own bodies have none). */
export const readFailure = async (response: Response): Promise<FailedResponse> => {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const envelope = errorBodySchema.safeParse(body);
  return {
    status: response.status,
    retryAfterSeconds: retryAfterSecondsOf(response.headers.get('retry-after')),
    body,
    code: envelope.success ? envelope.data.error.code : `HTTP_${response.status}`,
    serverMessage: envelope.success ? envelope.data.error.message : undefined,
  };
};

/**
 * The errors every API answers alike: 401 → SessionExpiredError (only a real 401 signs the user
 * out), 429 → RateLimitedError, 503 → ServiceUnavailableError (retried), other 5xx → a generic
 * sentence (server details are never shown). Undefined for the other statuses, which each API words.
 */
export const commonErrorOf = (failure: FailedResponse): WebError | undefined => {
  const { status, body, code, retryAfterSeconds } = failure;
  if (status === 401) return new SessionExpiredError(body);
  if (status === 429) return new RateLimitedError(retryAfterSeconds, body, code);
  if (status === 503) return new ServiceUnavailableError(code, retryAfterSeconds, body);
  if (status >= 500) {
    return new ApiError(
      status,
      code,
      'Something went wrong on our side. Please try again in a moment.',
      body,
    );
  }
  return undefined;
};

export interface HttpClient {
  /** One request; resolves the parsed JSON body (undefined for 204), rejects with a WebError. */
  request(method: HttpMethod, path: string, body?: unknown): Promise<unknown>;
  /** Checks a body with a schema: an unexpected shape is a BAD_RESPONSE ApiError. */
  parse<T>(schema: z.ZodType<T>, value: unknown): T;
}

/**
 * @param errorOf turns a non-2xx response into the error the user reads (per API).
 * @example const http = createHttpClient({ baseUrl, fetch, getIdToken }, errorFromResponse);
 */
export const createHttpClient = (
  deps: HttpClientDeps,
  errorOf: (response: Response) => Promise<WebError>,
): HttpClient => {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = deps.maxRetries ?? 3;

  const requestOnce = async (method: HttpMethod, path: string, body?: unknown): Promise<unknown> => {
    const token = await deps.getIdToken();
    let response: Response;
    try {
      response = await deps.fetch(`${deps.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new NetworkError(error);
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error instanceof SessionExpiredError) deps.onUnauthorized?.();
      throw error;
    }
    if (response.status === 204) return undefined;
    try {
      return await response.json();
    } catch (error) {
      throw new ApiError(response.status, 'BAD_RESPONSE', 'The assistant sent an unreadable answer.', error);
    }
  };

  return {
    /** A 503 is retried with backoff (1 s, 2 s, 4 s, or what `Retry-After` says, at most 8 s). */
    async request(method, path, body) {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await requestOnce(method, path, body);
        } catch (error) {
          if (!(error instanceof ServiceUnavailableError) || attempt >= maxRetries) throw error;
          await sleep(Math.min(8000, (error.retryAfterSeconds ?? 2 ** attempt) * 1000));
        }
      }
    },
    parse(schema, value) {
      const result = schema.safeParse(value);
      if (!result.success) {
        throw new ApiError(200, 'BAD_RESPONSE', 'The assistant sent an unreadable answer.', result.error);
      }
      return result.data;
    },
  };
};
