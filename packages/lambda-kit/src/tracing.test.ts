import { Tracer } from '@aws-lambda-powertools/tracer';
import middy from '@middy/core';
import { lambdaContext } from '@tenant-assistant/testing';
import { annotateTrace, type TraceAnnotator, traceInvocation, tracerFor } from './tracing';

const TENANT = 'tenant1';
const USER = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
const ANSWER = `${USER}.01JD4ZQ8X0V7M2N3P4Q5R6S7T8`;
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

/** A tracer port that records what it is given. */
const fakeTracer = (enabled = true) => {
  const annotations: Record<string, unknown> = {};
  const tracer: TraceAnnotator = {
    isTracingEnabled: () => enabled,
    putAnnotation: (key, value) => {
      annotations[key] = value;
    },
  };
  return { tracer, annotations };
};

/** A real Powertools Tracer switched on as in Lambda, its X-Ray segment replaced by a recording fake. */
const enabledTracer = () => {
  const previous = process.env.AWS_EXECUTION_ENV;
  process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
  const tracer = new Tracer({ serviceName: 'test-service' });
  if (previous === undefined) delete process.env.AWS_EXECUTION_ENV;
  else process.env.AWS_EXECUTION_ENV = previous;
  const recorded = { annotations: {} as Record<string, unknown>, metadata: [] as unknown[], closed: 0 };
  const subsegment = { close: () => recorded.closed++ };
  jest.spyOn(tracer, 'getSegment').mockReturnValue({ addNewSubsegment: () => subsegment } as never);
  jest.spyOn(tracer, 'setSegment').mockImplementation(() => undefined);
  jest.spyOn(tracer, 'putAnnotation').mockImplementation((key, value) => {
    recorded.annotations[key] = value;
  });
  jest.spyOn(tracer, 'putMetadata').mockImplementation((key, value) => {
    recorded.metadata.push({ key, value });
  });
  return { tracer, recorded };
};

describe('annotateTrace', () => {
  it('annotates the tenant, the user and the answer under their log key names', () => {
    // Prepare
    const { tracer, annotations } = fakeTracer();

    // Act
    annotateTrace({ tenantId: TENANT, userId: USER, answerId: ANSWER }, tracer);

    // Assess
    expect(annotations).toEqual({ tenant_id: TENANT, user_id: USER, answer_id: ANSWER });
  });

  it('leaves out values that are not identifiers: a token, a prompt, an overlong value', () => {
    // Prepare
    const { tracer, annotations } = fakeTracer();

    // Act
    annotateTrace(
      { tenantId: TOKEN, userId: 'show me every order of tenant2', answerId: 'a'.repeat(101) },
      tracer,
    );

    // Assess
    expect(annotations).toEqual({});
  });

  it('does nothing when tracing is off', () => {
    // Prepare
    const { tracer, annotations } = fakeTracer(false);

    // Act
    annotateTrace({ tenantId: TENANT }, tracer);

    // Assess
    expect(annotations).toEqual({});
  });
});

describe('tracerFor', () => {
  it('gives one tracer per service, switched off outside Lambda', () => {
    // Act
    const first = tracerFor('some-service');

    // Assess
    expect(tracerFor('some-service')).toBe(first);
    expect(tracerFor('other-service')).not.toBe(first);
    expect(first.isTracingEnabled()).toBe(false);
  });
});

describe('traceInvocation', () => {
  afterEach(() => jest.restoreAllMocks());

  const tracedHandler = (tracer: Tracer, result: () => unknown) =>
    middy(async () => result())
      .use(traceInvocation(tracer))
      .use({
        // As tenant-context establishes the tenant: after the tracing middleware.
        before: () => annotateTrace({ tenantId: TENANT, userId: USER }, tracer),
      });

  it('opens and closes a subsegment with the service, cold start and tenant annotations, never the response or the event', async () => {
    // Prepare
    const { tracer, recorded } = enabledTracer();
    const handler = tracedHandler(tracer, () => ({ temporaryPassword: 'Secret-123!', text: 'your orders' }));
    const event = { headers: { authorization: `Bearer ${TOKEN}` }, body: '{"prompt":"hello"}' };

    // Act
    await handler(event, lambdaContext());

    // Assess
    expect(recorded.annotations).toEqual({
      ColdStart: expect.any(Boolean),
      Service: 'test-service',
      tenant_id: TENANT,
      user_id: USER,
    });
    expect(recorded.metadata).toEqual([]);
    expect(recorded.closed).toBe(1);
    expect(JSON.stringify(recorded)).not.toMatch(/Secret-123|eyJ|hello|your orders/);
  });

  it('closes the subsegment when the handler fails and records the error', async () => {
    // Prepare
    const { tracer, recorded } = enabledTracer();
    const addError = jest.spyOn(tracer, 'addErrorAsMetadata').mockImplementation(() => undefined);
    const handler = tracedHandler(tracer, () => {
      throw new Error('boom');
    });

    // Act
    await expect(handler({}, lambdaContext())).rejects.toThrow('boom');

    // Assess
    expect(addError).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
    expect(recorded.closed).toBe(1);
  });
});
