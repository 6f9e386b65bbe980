import * as z from 'zod';
import {
  AppError,
  ConfigurationError,
  isRefusal,
  issuesOf,
  PayloadTooLargeError,
  RouteNotFoundError,
} from './errors';

describe('AppError', () => {
  it('exposes 4xx messages and hides 5xx ones', () => {
    // Act
    const refusal = new AppError('No such answer', { code: 'NOT_FOUND', statusCode: 404 });
    const failure = new AppError('Table missing', { code: 'BROKEN', cause: new Error('boom') });
    const unavailable = new AppError('Try again', { code: 'BUSY', statusCode: 503, expose: true });

    // Assess
    expect(refusal).toMatchObject({ name: 'AppError', code: 'NOT_FOUND', statusCode: 404, expose: true });
    expect(failure).toMatchObject({ statusCode: 500, expose: false });
    expect(failure.cause).toEqual(new Error('boom'));
    expect(unavailable.expose).toBe(true);
  });

  it('names its subclasses', () => {
    // Act
    const errors = [
      new ConfigurationError('X is not set'),
      new PayloadTooLargeError('too big'),
      new RouteNotFoundError(),
    ];

    // Assess
    expect(errors.map((error) => [error.name, error.code, error.statusCode])).toEqual([
      ['ConfigurationError', 'CONFIGURATION', 500],
      ['PayloadTooLargeError', 'PAYLOAD_TOO_LARGE', 413],
      ['RouteNotFoundError', 'NOT_FOUND', 404],
    ]);
  });
});

describe('isRefusal', () => {
  it('is true only for coded errors with a 4xx status', () => {
    // Prepare
    const candidates = [
      new AppError('refused', { code: 'REFUSED', statusCode: 400 }),
      new AppError('failed', { code: 'FAILED' }),
      Object.assign(new Error('lookalike'), { code: 'X', statusCode: 403 }),
      Object.assign(new Error('uncoded'), { statusCode: 400 }),
      { code: 'X', statusCode: 400 },
      undefined,
    ];

    // Act
    const verdicts = candidates.map(isRefusal);

    // Assess
    expect(verdicts).toEqual([true, false, true, false, false, false]);
  });
});

describe('issuesOf', () => {
  const schema = z.object({
    prompt: z.string().min(1, 'must not be empty'),
    nested: z.object({ id: z.string() }),
  });

  it('names each problem by path, never the value', () => {
    // Prepare
    const result = schema.safeParse({ prompt: '', nested: { id: 42 }, secret: 'hunter2' });

    // Act
    const issues = result.success ? [] : issuesOf(result.error);

    // Assess
    expect(issues).toEqual(['prompt: must not be empty', expect.stringMatching(/^nested\.id: /)]);
    expect(issues.join()).not.toContain('hunter2');
  });

  it('names the root, and can use another separator or the issue codes', () => {
    // Prepare
    const result = z.string().safeParse(1);
    const error = result.success ? undefined : result.error;

    // Act
    const issues = error
      ? [issuesOf(error, { root: '(body)' }), issuesOf(error, { separator: ' ', describe: 'code' })]
      : [];

    // Assess
    expect(issues).toEqual([[expect.stringMatching(/^\(body\): /)], ['(root) invalid_type']]);
  });
});
