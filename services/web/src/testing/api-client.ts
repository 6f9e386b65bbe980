import { createApiClient } from '../chat/api-client';
import { answerIdOf, USER_SUB } from './fakes';

/** The ApiClient tests' set-up: a client over a fake fetch. */
/** A JSON response of `status`. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** An API client over a fetch that answers `response`, and what it recorded. */
export const setup = (response: Response | (() => Promise<Response>)) => {
  const fetchFn = jest.fn(async (_url: string, _init?: RequestInit) =>
    typeof response === 'function' ? response() : response,
  );
  const onUnauthorized = jest.fn();
  const sleeps: number[] = [];
  const api = createApiClient({
    apiUrl: 'https://api.example.com',
    fetch: fetchFn as unknown as typeof fetch,
    getIdToken: async () => 'id-token',
    onUnauthorized,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { api, fetchFn, onUnauthorized, sleeps };
};

export const ANSWER_ID = answerIdOf(USER_SUB);
