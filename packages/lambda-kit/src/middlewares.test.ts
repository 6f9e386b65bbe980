import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { captureLogs, lambdaContext } from '@tenant-assistant/testing';
import { AppError } from './errors';
import { logFailures, refuseEvents } from './middlewares';

const refusal = () =>
  new AppError('Invalid PromptSubmitted detail', { code: 'INVALID_EVENT', statusCode: 400 });

describe('logFailures', () => {
  const handlerThrowing = (error: unknown) =>
    middy(async () => {
      throw error;
    }).use(logFailures({ logger: new Logger({ serviceName: 'kit-test' }), operation: 'onboardTenant' }));

  it.each([
    [
      'logs a refusal as a warning and lets it propagate',
      refusal(),
      'WARN',
      'onboardTenant refused',
      'INVALID_EVENT',
    ],
    [
      'logs a failure as an error with its code',
      new AppError('Cognito failed', { code: 'COGNITO_REQUEST_FAILED' }),
      'ERROR',
      'onboardTenant failed',
      'COGNITO_REQUEST_FAILED',
    ],
  ])('%s', async (_name, thrown, level, message, code) => {
    // Act
    const { error, lines } = await captureLogs(() => handlerThrowing(thrown)({}, lambdaContext()));

    // Assess
    expect(error).toBe(thrown);
    expect(lines).toEqual([expect.objectContaining({ level, message, error_code: code })]);
  });
});

describe('refuseEvents', () => {
  const handlerThrowing = (error: unknown, respond?: (error: AppError) => unknown) =>
    middy(async () => {
      throw error;
    }).use(
      refuseEvents({ logger: new Logger({ serviceName: 'kit-test' }), ...(respond ? { respond } : {}) }),
    );

  it('turns a refusal into a successful invocation that says so', async () => {
    // Prepare
    const refused = Object.assign(refusal(), { issues: ['prompt: must not be empty'] });

    // Act
    const { value, error, lines } = await captureLogs(() => handlerThrowing(refused)({}, lambdaContext()));

    // Assess
    expect(error).toBeUndefined();
    expect(value).toEqual({ refused: true, code: 'INVALID_EVENT' });
    expect(lines[0]).toMatchObject({ message: 'Refused an event', issues: ['prompt: must not be empty'] });
  });

  it('answers with what `respond` returns', async () => {
    // Act
    const { value } = await captureLogs(() =>
      handlerThrowing(refusal(), (error) => ({ outcome: 'refused', code: error.code }))({}, lambdaContext()),
    );

    // Assess
    expect(value).toEqual({ outcome: 'refused', code: 'INVALID_EVENT' });
  });

  it('lets every other error fail the invocation', async () => {
    // Prepare
    const failure = new Error('DynamoDB unavailable');

    // Act
    const { error } = await captureLogs(() => handlerThrowing(failure)({}, lambdaContext()));

    // Assess
    expect(error).toBe(failure);
  });
});
