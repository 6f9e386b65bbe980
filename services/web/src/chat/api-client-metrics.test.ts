import type { ApiError } from '../errors';
import { ADMIN_ONLY_MESSAGE, createApiClient } from './api-client';

const view = {
  tenantId: 'tenant1',
  totals: { PromptAccepted: 3, PromptThrottled: 1, AnswerCompleted: 2 },
  timings: { AnswerLatency: { count: 2, p50: 420, p95: 900, max: 900 } },
  from: 1_796_000_000_000,
  to: 1_796_000_060_000,
};

const clientWith = (status: number, body: unknown, metricsUrl?: string) => {
  const fetchFn = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
  const api = createApiClient({
    apiUrl: 'https://api.example.com',
    ...(metricsUrl ? { metricsUrl } : {}),
    fetch: fetchFn as unknown as typeof fetch,
    getIdToken: async () => 'id-token',
  });
  return { api, fetchFn };
};

describe('createApiClient getMetrics', () => {
  it("reads the caller's tenant's metrics from the local metrics server with the ID token", async () => {
    // Prepare
    const { api, fetchFn } = clientWith(200, view, 'http://127.0.0.1:8007');
    // Act
    const metrics = await api.getMetrics();
    // Assess
    expect(metrics).toEqual(view);
    expect(fetchFn.mock.calls[0]?.[0]).toBe('http://127.0.0.1:8007/metrics');
    expect(fetchFn.mock.calls[0]?.[1]?.headers).toMatchObject({ authorization: 'Bearer id-token' });
  });

  it('asks nothing when no metrics server is configured (deployed)', async () => {
    // Prepare
    const { api, fetchFn } = clientWith(200, view);
    // Act
    const metrics = await api.getMetrics();
    // Assess
    expect(metrics).toBeUndefined();
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('tells a user who is no admin that the figures are for administrators', async () => {
    // Prepare
    const { api } = clientWith(
      403,
      { error: { code: 'ADMIN_ROLE_REQUIRED', message: 'This action requires the tenant admin role' } },
      'http://127.0.0.1:8007',
    );
    // Act
    const refusal = (await api.getMetrics().catch((error: unknown) => error)) as ApiError;
    // Assess
    expect(refusal.userMessage).toBe(ADMIN_ONLY_MESSAGE);
  });
});
