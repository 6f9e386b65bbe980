import {
  AnswerOwnershipError,
  ConfigurationError,
  ForbiddenError,
  InvalidAnswerIdError,
  InvalidEventError,
  InvalidSessionAttributesError,
  InvalidTenantIdError,
  InvalidUserIdError,
  PutEventsFailedError,
  ScopedCredentialsError,
  TenantContextError,
  TenantNotFoundError,
  UnauthorizedError,
} from './errors';

describe('errors', () => {
  const cause = new Error('root cause');

  it.each([
    [new InvalidTenantIdError(cause), 'InvalidTenantIdError', 'INVALID_TENANT_ID', 400],
    [new InvalidUserIdError(cause), 'InvalidUserIdError', 'INVALID_USER_ID', 400],
    [new InvalidAnswerIdError(cause), 'InvalidAnswerIdError', 'INVALID_ANSWER_ID', 400],
    [new UnauthorizedError('no token', cause), 'UnauthorizedError', 'UNAUTHORIZED', 401],
    [new ForbiddenError('no tenant', cause), 'ForbiddenError', 'FORBIDDEN', 403],
    [new InvalidEventError('bad event', ['x: bad'], cause), 'InvalidEventError', 'INVALID_EVENT', 400],
    [
      new InvalidSessionAttributesError(['tenantId: invalid'], cause),
      'InvalidSessionAttributesError',
      'INVALID_SESSION_ATTRIBUTES',
      400,
    ],
    [
      new ScopedCredentialsError('sts failed', cause),
      'ScopedCredentialsError',
      'SCOPED_CREDENTIALS_FAILED',
      500,
    ],
    [new PutEventsFailedError([{ index: 0 }], cause), 'PutEventsFailedError', 'PUT_EVENTS_FAILED', 500],
    [new TenantNotFoundError('acme', cause), 'TenantNotFoundError', 'TENANT_NOT_FOUND', 404],
  ])('%s has its name, code, status and cause', (error, name, code, statusCode) => {
    // Act / Assess
    expect(error).toBeInstanceOf(TenantContextError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name, code, statusCode, expose: statusCode < 500 });
    expect(error.cause).toBe(cause);
  });

  it('exposes only 4xx messages', () => {
    // Act / Assess
    expect(new UnauthorizedError().expose).toBe(true);
    expect(new ConfigurationError('X is not set').expose).toBe(false);
    expect(new TenantContextError('boom', { code: 'BOOM' })).toMatchObject({
      statusCode: 500,
      expose: false,
    });
  });

  it('names the tenant that was not found only when one is given', () => {
    // Act
    const named = new TenantNotFoundError('acme');
    const unnamed = new TenantNotFoundError();

    // Assess
    expect(named.message).toBe('Tenant acme not found');
    expect(unnamed.message).toBe('Tenant not found');
    expect('cause' in unnamed).toBe(false);
  });

  it('omits the cause when none is given', () => {
    // Act / Assess
    expect('cause' in new UnauthorizedError()).toBe(false);
    expect(new ForbiddenError().message).toBe('The signed-in user belongs to no tenant');
  });

  it('keeps issues and failed entries', () => {
    // Act / Assess
    expect(new InvalidEventError('bad').issues).toEqual([]);
    expect(new InvalidSessionAttributesError().issues).toEqual([]);
    expect(new PutEventsFailedError([{ index: 3, errorCode: 'X' }])).toMatchObject({
      message: 'EventBridge rejected 1 event(s)',
      failedEntries: [{ index: 3, errorCode: 'X' }],
    });
  });

  it('makes an ownership mismatch an invalid event', () => {
    // Act
    const error = new AnswerOwnershipError();

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error).toMatchObject({ name: 'AnswerOwnershipError', code: 'INVALID_EVENT', statusCode: 400 });
  });

  it('names a configuration error', () => {
    expect(new ConfigurationError('COGNITO_USER_POOL_ID is not set')).toMatchObject({
      name: 'ConfigurationError',
      code: 'CONFIGURATION',
      message: 'COGNITO_USER_POOL_ID is not set',
    });
  });
});
