import type { MiddlewareObj, Request } from '@middy/core';
import { PayloadTooLargeError } from '../errors';

/** Largest request body accepted, bytes (DESIGN section 4: larger is 413). */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Refuses a request body larger than `maxBytes` (after base64 decoding) with 413, before it is parsed.
 *
 * @example middy(handler).use(httpBodyLimit()).use(httpJsonBodyParser())
 */
export const httpBodyLimit = (options: { maxBytes?: number } = {}): MiddlewareObj => {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const httpBodyLimitBefore = (request: Request) => {
    const { body, isBase64Encoded } = request.event as { body?: unknown; isBase64Encoded?: boolean };
    if (typeof body !== 'string') return;
    const bytes = isBase64Encoded ? Buffer.from(body, 'base64').byteLength : Buffer.byteLength(body, 'utf8');
    if (bytes > maxBytes) {
      throw new PayloadTooLargeError(`The request body must be at most ${maxBytes} bytes`, 'BODY_TOO_LARGE');
    }
  };
  return { before: httpBodyLimitBefore };
};
