import type { MiddlewareObj, Request } from '@middy/core';

/** Body of every error response (DESIGN section 4). */
export interface ErrorBody {
  error: { code: string; message: string };
}

export const GENERIC_ERROR_MESSAGE = 'Internal server error';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** middy's own errors that become another status: its JSON body parser answers 422/415 for bad JSON. */
const REMAPPED: Record<number, { statusCode: number; code: string }> = {
  415: { statusCode: 400, code: 'INVALID_JSON' },
  422: { statusCode: 400, code: 'INVALID_JSON' },
};

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  expose?: unknown;
  retryAfterSeconds?: unknown;
}

/**
 * Wraps the response @middy/http-error-handler produced into `{"error":{"code","message"}}`. Use it
 * BEFORE httpErrorHandler (middy runs `onError` in reverse order, so this runs after it). Messages
 * of exposed errors are kept; anything else is a generic 500. Middy's JSON parser errors (422/415)
 * become 400 `INVALID_JSON`; a rate-limit error adds `Retry-After`.
 *
 * @example middy(handler).use(httpErrorEnvelope()).use(httpErrorHandler())
 */
export const httpErrorEnvelope = (): MiddlewareObj => {
  const httpErrorEnvelopeOnError = (request: Request) => {
    const response = request.response as
      | { statusCode?: number; headers?: Record<string, string>; body?: unknown }
      | undefined
      | null;
    if (!response) return;
    const error = (request.error ?? {}) as ErrorLike;
    const original = response.statusCode ?? 500;
    const remapped = REMAPPED[original];
    const statusCode = remapped?.statusCode ?? original;
    const exposed = statusCode < 500 || (error.expose === true && typeof error.code === 'string');
    const code =
      typeof error.code === 'string' && exposed
        ? error.code
        : (remapped?.code ??
          CODE_BY_STATUS[statusCode] ??
          (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'));
    const message =
      exposed && typeof error.message === 'string' && error.message !== ''
        ? error.message
        : GENERIC_ERROR_MESSAGE;
    const body: ErrorBody = { error: { code, message } };
    response.statusCode = statusCode;
    response.headers = { ...response.headers, 'Content-Type': 'application/json' };
    if (typeof error.retryAfterSeconds === 'number') {
      response.headers['Retry-After'] = String(error.retryAfterSeconds);
    }
    response.body = JSON.stringify(body);
  };
  return { onError: httpErrorEnvelopeOnError };
};
