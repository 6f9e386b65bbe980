import middy from '@middy/core';
import { captureOutput, expectMetricLines, lambdaContext } from '@tenant-assistant/testing';
import { AppError } from './errors';
import { createMetrics, outcomeMetrics } from './metrics';

class RefusedError extends AppError {
  constructor() {
    super('refused', { code: 'NOT_ALLOWED', statusCode: 403 });
    this.name = 'RefusedError';
  }
}

type Event = { tenant?: { tenantId: string }; routeKey?: string; token?: string };

const handlerWith = (result: () => unknown) =>
  middy(async (_event: Event) => result()).use(
    outcomeMetrics<Event>({
      metrics: createMetrics('test-service'),
      name: 'AdminRequest',
      dimensions: (event) => ({ tenant: event.tenant?.tenantId, action: event.routeKey }),
    }),
  );

const event: Event = { tenant: { tenantId: 'tenant1' }, routeKey: 'GET /admin/users', token: 'eyJsecret' };

describe('outcomeMetrics', () => {
  it('counts what was done under its dimensions and service-wide', async () => {
    // Act
    const { output } = await captureOutput(() =>
      handlerWith(() => ({ statusCode: 200, body: '{}' }))(event, lambdaContext()),
    );

    // Assess
    expectMetricLines(output, [
      {
        values: { tenant: 'tenant1', action: 'GET /admin/users', AdminRequest: 1 },
        dimensions: ['service', 'tenant', 'action'],
      },
      { values: { AdminRequest: 1 }, dimensions: ['service'], absent: ['tenant'] },
    ]);
    expect(output).not.toContain('eyJsecret');
  });

  it('counts a 4xx response and a refusal error as refused, a 5xx and any other error as failed', async () => {
    // Act
    const { output } = await captureOutput(async () => {
      await handlerWith(() => ({ statusCode: 404 }))(event, lambdaContext());
      await handlerWith(() => {
        throw new RefusedError();
      })(event, lambdaContext()).catch(() => undefined);
      await handlerWith(() => ({ statusCode: 503 }))(event, lambdaContext());
      await handlerWith(() => {
        throw new Error('boom');
      })(event, lambdaContext()).catch(() => undefined);
    });

    // Assess
    const names = ['AdminRequestRefused', 'AdminRequestRefused', 'AdminRequestFailed', 'AdminRequestFailed'];
    expectMetricLines(
      output,
      names.flatMap((name) => [
        { values: { tenant: 'tenant1', [name]: 1 }, absent: ['AdminRequest'] },
        { values: { [name]: 1 }, dimensions: ['service'] },
      ]),
    );
  });

  it('counts a refused event (its invocation succeeds with `refused`) as refused', async () => {
    // Act
    const { output } = await captureOutput(() =>
      handlerWith(() => ({ refused: true, code: 'INVALID_EVENT' }))(event, lambdaContext()),
    );

    // Assess
    expectMetricLines(output, [
      { values: { AdminRequestRefused: 1 }, dimensions: ['service', 'tenant', 'action'] },
      { values: { AdminRequestRefused: 1 }, dimensions: ['service'] },
    ]);
  });

  it('leaves out dimensions it does not know (no verified tenant), writing only the service-wide line', async () => {
    // Act
    const { output } = await captureOutput(() =>
      handlerWith(() => ({ statusCode: 200 }))({}, lambdaContext()),
    );

    // Assess
    expectMetricLines(output, [{ values: { AdminRequest: 1 }, dimensions: ['service'] }]);
  });

  it('adds dimensions from the error and the outcome the result stands for, and never a token or an overlong value', async () => {
    // Prepare
    const handler = middy(async (_event: Event) => ({ state: 'FAILURE' })).use(
      outcomeMetrics<Event>({
        metrics: createMetrics('test-service'),
        name: 'OrderLookup',
        dimensions: (e, error) => ({
          tenant: e.tenant?.tenantId,
          token: e.token,
          long: 'x'.repeat(101),
          reason: (error as { code?: string } | undefined)?.code,
        }),
        outcomeOf: (response) =>
          (response as { state?: string }).state === 'FAILURE' ? 'failed' : undefined,
      }),
    );
    const refusing = middy(async (_event: Event) => {
      throw new RefusedError();
    }).use(
      outcomeMetrics<Event>({
        metrics: createMetrics('test-service'),
        name: 'SignIn',
        dimensions: (e, error) => ({ tenant: e.tenant?.tenantId, reason: (error as { code?: string }).code }),
      }),
    );

    // Act
    const { output } = await captureOutput(async () => {
      await handler({ ...event, token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }, lambdaContext());
      await refusing(event, lambdaContext()).catch(() => undefined);
    });

    // Assess
    expectMetricLines(output, [
      { values: { tenant: 'tenant1', OrderLookupFailed: 1 }, dimensions: ['service', 'tenant'] },
      { values: { OrderLookupFailed: 1 }, dimensions: ['service'] },
      {
        values: { tenant: 'tenant1', reason: 'NOT_ALLOWED', SignInRefused: 1 },
        dimensions: ['service', 'tenant', 'reason'],
      },
      { values: { SignInRefused: 1 }, dimensions: ['service'] },
    ]);
    expect(output).not.toContain('eyJ');
  });
});
