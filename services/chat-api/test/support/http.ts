import { httpApiEvent } from '@tenant-assistant/testing';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';

export const WEB_ORIGIN = 'https://chat.example.com';

/** The structured result of a middy HTTP handler (always an object here). */
export type HttpResult = Exclude<APIGatewayProxyResultV2, string> & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/** Parses the JSON body of a result. */
export const bodyOf = <T = Record<string, unknown>>(result: unknown): T =>
  JSON.parse((result as HttpResult).body) as T;

/** Asserts the error envelope of DESIGN section 4 and returns it. */
export const expectError = (result: unknown, statusCode: number, code: string) => {
  const response = result as HttpResult;
  expect(response.statusCode).toBe(statusCode);
  expect(response.headers['Content-Type']).toBe('application/json');
  const body = bodyOf<{ error: { code: string; message: string } }>(response);
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  return body.error;
};

/** Security headers @middy/http-security-headers adds to every response. */
export const expectSecurityHeaders = (result: unknown) => {
  const { headers } = result as HttpResult;
  expect(headers).toMatchObject({
    'Strict-Transport-Security': expect.stringContaining('max-age='),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
};

/** A `GET <path>?<query>` HTTP API event, signed with `token` when given (else the default user's). */
export const listEvent = (path: string, query: Record<string, string>, token?: string) =>
  httpApiEvent({
    method: 'GET',
    path,
    routeKey: `GET ${path}`,
    queryStringParameters: query,
    ...(token ? { token } : {}),
  });
