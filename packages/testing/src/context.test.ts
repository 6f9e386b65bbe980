import { lambdaContext } from './context';

describe('lambdaContext', () => {
  it('builds a complete context with a fresh request id on each call', () => {
    // Act
    const first = lambdaContext();
    const second = lambdaContext();

    // Assess
    expect(first).toMatchObject({
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'tenant-assistant-test-function',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:tenant-assistant-test-function',
      memoryLimitInMB: '1024',
      logGroupName: '/aws/lambda/tenant-assistant-test-function',
    });
    expect(first.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(first.getRemainingTimeInMillis()).toBe(30_000);
    expect(first.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.awsRequestId).not.toBe(second.awsRequestId);
    expect(() => first.done()).not.toThrow();
    expect(() => first.fail('x')).not.toThrow();
    expect(() => first.succeed({})).not.toThrow();
  });

  it('applies overrides and derives the ARN and log group from functionName', () => {
    // Act
    const context = lambdaContext({
      functionName: 'chat-api-dev-submitPrompt',
      getRemainingTimeInMillis: () => 5,
    });

    // Assess
    expect(context.invokedFunctionArn).toMatch(/:function:chat-api-dev-submitPrompt$/);
    expect(context.logGroupName).toBe('/aws/lambda/chat-api-dev-submitPrompt');
    expect(context.getRemainingTimeInMillis()).toBe(5);
  });
});
