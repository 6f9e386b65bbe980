import {
  InternalServerException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { PutEventsFailedError, ScopedCredentialsError } from '@tenant-assistant/tenant-context';
import { DeadlineExceededError, EmptyAnswerError } from '../errors';
import { describeError, FAILURE_REASONS, failureKindOf, isRetryableError } from './failures';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1' });
const throttling = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: metadata(429) });
const internal = () => new InternalServerException({ message: 'oops', $metadata: metadata(500) });
const validation = (message = 'bad input') => new ValidationException({ message, $metadata: metadata(400) });
const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name }, extra);

describe('isRetryableError', () => {
  test.each([
    ['ThrottlingException', throttling()],
    ['InternalServerException', internal()],
    ['ServiceQuotaExceededException', named('ServiceQuotaExceededException')],
    ['ConflictException (the session is busy)', named('ConflictException')],
    ['BadGatewayException', named('BadGatewayException')],
    ['ModelNotReadyException', named('ModelNotReadyException')],
    ['a network timeout', named('TimeoutError')],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a 503 without a known name', named('Unknown', { $metadata: { httpStatusCode: 503 } })],
    ['a server-fault event in the stream', named('SomethingServerSide', { $fault: 'server' })],
    ['throttling wrapped by tenant-context', new ScopedCredentialsError('AssumeRole failed', throttling())],
    [
      'an unreachable STS wrapped by tenant-context',
      new ScopedCredentialsError(
        'AssumeRole failed',
        Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
      ),
    ],
    [
      'PutEvents entries refused with InternalFailure or ThrottlingException',
      new PutEventsFailedError([
        { index: 0, errorCode: 'InternalFailure' },
        { index: 1, errorCode: 'ThrottlingException' },
      ]),
    ],
  ])('retries %s', (_name, error) => {
    // Act / Assess
    expect(isRetryableError(error)).toBe(true);
  });

  test.each([
    ['ValidationException', validation()],
    ['AccessDeniedException', named('AccessDeniedException', { $metadata: { httpStatusCode: 403 } })],
    ['ResourceNotFoundException', named('ResourceNotFoundException')],
    ['DependencyFailedException', named('DependencyFailedException', { $metadata: { httpStatusCode: 424 } })],
    ['our own deadline', new DeadlineExceededError()],
    ['an abort', named('AbortError')],
    ['a plain error', new Error('bug')],
    [
      'PutEvents entries refused for a reason that does not pass',
      new PutEventsFailedError([
        { index: 0, errorCode: 'InternalFailure' },
        { index: 1, errorCode: 'AccessDeniedException' },
      ]),
    ],
    ['a non-error', 'boom'],
  ])('fails fast on %s', (_name, error) => {
    // Act / Assess
    expect(isRetryableError(error)).toBe(false);
  });
});

describe('failureKindOf', () => {
  test.each([
    ['throttling', throttling(), false, 'busy'],
    ['wrapped throttling', new ScopedCredentialsError('AssumeRole failed', throttling()), false, 'busy'],
    ['the deadline', new DeadlineExceededError(), false, 'timeout'],
    ['the deadline after chunks', new DeadlineExceededError(), true, 'timeout'],
    ['a network timeout', named('TimeoutError'), false, 'timeout'],
    ['an empty answer', new EmptyAnswerError(), false, 'empty'],
    ['any error after chunks', throttling(), true, 'interrupted'],
    ['a validation error', validation(), false, 'unavailable'],
    [
      'an STS refusal',
      new ScopedCredentialsError('AssumeRole failed', named('AccessDenied')),
      false,
      'unavailable',
    ],
  ])('maps %s to a safe reason', (_name, error, partial, kind) => {
    // Act
    const result = failureKindOf(error, { partial });

    // Assess
    expect(result).toBe(kind);
  });
});

describe('FAILURE_REASONS', () => {
  test('are short plain sentences that fit the AnswerFailed contract', () => {
    // Act / Assess
    for (const reason of Object.values(FAILURE_REASONS)) {
      expect(reason).toMatch(/^[A-Z][A-Za-z ,.']+\.$/);
      expect(reason.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('describeError', () => {
  test('keeps names, codes, status and request ids of the error and its causes, never messages', () => {
    // Prepare
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const error = new ScopedCredentialsError('AssumeRole failed', validation(`Value ${secret} is invalid`));

    // Act
    const description = describeError(error);

    // Assess
    expect(description).toEqual({
      name: 'ScopedCredentialsError',
      code: 'SCOPED_CREDENTIALS_FAILED',
      cause: { name: 'ValidationException', http_status: 400, request_id: 'req-1', fault: 'client' },
    });
    expect(JSON.stringify(description)).not.toContain(secret);
  });

  test('describes a thrown non-error by its type', () => {
    // Act / Assess
    expect(describeError('boom')).toEqual({ name: 'string' });
  });

  test('stops on a cycle of causes', () => {
    // Prepare
    const first = new Error('a') as Error & { cause?: unknown };
    const second = new Error('b', { cause: first });
    first.cause = second;

    // Act
    const description = describeError(first);

    // Assess
    expect(description).toEqual({ name: 'Error', cause: { name: 'Error' } });
  });
});
