import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/**
 * A complete Lambda `Context` like the one the runtime passes (new `awsRequestId` on each call).
 * ARN and log group follow `functionName` when only that is overridden.
 * @example await handler(event, lambdaContext({ getRemainingTimeInMillis: () => 500 }));
 */
export const lambdaContext = (overrides: Partial<Context> = {}): Context => {
  const functionName = overrides.functionName ?? 'tenant-assistant-test-function';
  const awsRequestId = overrides.awsRequestId ?? randomUUID();
  const noop = (): void => {};
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2025/01/01/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => 30_000,
    done: noop,
    fail: noop,
    succeed: noop,
    ...overrides,
  };
};
