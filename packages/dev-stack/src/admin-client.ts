import type { StackInfo } from './state';

/** An answer of the admin API (auth service): status and parsed JSON body (errors keep their envelope). */
export interface AdminApiResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * Calls the admin API with a user's ID token, e.g. `adminRequest(info, session, 'GET', '/admin/tenants')`.
 * Never throws for an HTTP status: refusals are answers the callers check.
 */
export const adminRequest = async <T = unknown>(
  stack: Pick<StackInfo, 'adminApiUrl'>,
  session: { idToken: string } | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<AdminApiResponse<T>> => {
  const response = await fetch(`${stack.adminApiUrl}${path}`, {
    method,
    headers: {
      ...(session ? { authorization: `Bearer ${session.idToken}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
};
