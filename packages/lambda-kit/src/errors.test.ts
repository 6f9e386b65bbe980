import * as z from 'zod';
import {
  AppError,
  ConfigurationError,
  errorBase,
  errorClasses,
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

  it.each([
    ['ConfigurationError', new ConfigurationError('X is not set'), 'CONFIGURATION', 500],
    ['PayloadTooLargeError', new PayloadTooLargeError('too big'), 'PAYLOAD_TOO_LARGE', 413],
    ['RouteNotFoundError', new RouteNotFoundError(), 'NOT_FOUND', 404],
  ])('names its subclass %s', (name, error, code, statusCode) => {
    expect([error.name, error.code, error.statusCode]).toEqual([name, code, statusCode]);
  });
});

describe('errorBase and errorClasses', () => {
  const ServiceError = errorBase('ServiceError');
  const {
    ThingNotFoundError: Fixed,
    ThingRefusedError: Made,
    ThingBrokenError: Defaulted,
  } = errorClasses(ServiceError, {
    ThingNotFoundError: { message: 'Thing not found', code: 'THING_NOT_FOUND', statusCode: 404 },
    ThingRefusedError: {
      message: (thing: string) => `Refused ${thing}`,
      code: 'THING_REFUSED',
      statusCode: 403,
    },
    ThingBrokenError: { message: (message?: string) => message ?? 'Thing broken', code: 'THING_BROKEN' },
  });
  const cause = new Error('underneath');

  it.each([
    [
      'a fixed message',
      new Fixed(cause),
      ['ThingNotFoundError', 'Thing not found', 'THING_NOT_FOUND', 404, true, cause],
    ],
    [
      'a message made from its argument',
      new Made('the tea', cause),
      ['ThingRefusedError', 'Refused the tea', 'THING_REFUSED', 403, true, cause],
    ],
    [
      'a default message',
      new Defaulted(),
      ['ThingBrokenError', 'Thing broken', 'THING_BROKEN', 500, false, undefined],
    ],
    [
      'a message given instead of the default',
      new Defaulted('Snapped', cause),
      ['ThingBrokenError', 'Snapped', 'THING_BROKEN', 500, false, cause],
    ],
  ])('declares an error with %s, its code, status, exposure and cause', (_case, error, expected) => {
    expect([error.name, error.message, error.code, error.statusCode, error.expose, error.cause]).toEqual(
      expected,
    );
  });

  it('declares a named class of the base, so that instanceof and the class name tell the outcome', () => {
    // Act
    const error = new Made('x');

    // Assess
    expect(error).toBeInstanceOf(Made);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).not.toBeInstanceOf(Fixed);
    expect([ServiceError.name, Fixed.name, Made.name]).toEqual([
      'ServiceError',
      'ThingNotFoundError',
      'ThingRefusedError',
    ]);
    expect(new ServiceError('base', { code: 'BASE' })).toMatchObject({ name: 'ServiceError', code: 'BASE' });
    expect(String(error)).toBe('ThingRefusedError: Refused x');
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
