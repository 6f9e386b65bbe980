import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureOutput, lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { bodyOf, expectError, expectSecurityHeaders } from '../../../test/support/http';
import { audibleLogger } from '../../../test/support/logger';
import * as prompt from '../../../test/support/submit-prompt';
import { PUBLISH_FAILED_REASON } from '../../answers/submit-prompt';
import { createHandler } from './handler';

describe('submitPrompt handler failures', () => {
  it('answers 500 and stores nothing when the counters cannot be written', async () => {
    // Prepare
    prompt.ddb.on(TransactWriteCommand).rejects(new Error('throttled'));
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 500, 'INTERNAL_ERROR');
    expect(prompt.answerWrites()).toHaveLength(0);
    expect(prompt.eventBridge.calls()).toHaveLength(0);
  });

  it('frees the in-flight slot and publishes nothing when the answer cannot be stored', async () => {
    // Prepare
    prompt.ddb
      .on(TransactWriteCommand)
      .callsFake((input: { TransactItems?: { Put?: { TableName?: string } }[] }) => {
        if (input.TransactItems?.[0]?.Put?.TableName === 'answers') throw new Error('throttled');
        return {};
      });
    const token = await prompt.issuer.idToken({ tenantId: 'tenant-a' });
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 500, 'INTERNAL_ERROR');
    expect(prompt.eventBridge.calls()).toHaveLength(0);
    const slot = prompt.transactions()[0]?.TransactItems?.[2]?.Update?.ExpressionAttributeNames?.['#answer'];
    expect(slot).toBeDefined();
    prompt.expectSlotReleased('tenant-a', slot);
  });

  it.each([
    [
      'EventBridge rejects the entry',
      () =>
        prompt.eventBridge
          .on(PutEventsCommand)
          .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }),
    ],
    [
      'EventBridge is unreachable',
      () => prompt.eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up')),
    ],
  ])('answers 503 and marks the answer FAILED when %s', async (_case, arrange) => {
    // Prepare
    arrange();
    const sub = randomUserId();
    const token = await prompt.issuer.idToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 503, 'ASSISTANT_UNAVAILABLE');
    expect(result.headers?.['Retry-After']).toBe('5');
    expect(bodyOf<{ error: { message: string } }>(result).error.message).toMatch(/try again in 5 seconds/i);
    const answerId = prompt.answerWrites()[0]?.Item?.answerId;
    expect(prompt.answerUpdates()).toEqual([
      expect.objectContaining({
        Key: { userId: sub, answerId },
        ConditionExpression: expect.stringContaining('#status IN (:pending, :streaming)'),
        ExpressionAttributeValues: expect.objectContaining({
          ':failed': 'FAILED',
          ':reason': PUBLISH_FAILED_REASON,
          ':tenantId': 'tenant-a',
        }),
      }),
    ]);
    prompt.expectSlotReleased('tenant-a', answerId);
  });

  it('still answers 503 when marking the answer FAILED fails too', async () => {
    // Prepare
    prompt.eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up'));
    prompt.ddb.on(UpdateCommand, { TableName: 'answers' }).rejects(new Error('throttled'));
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 503, 'ASSISTANT_UNAVAILABLE');
  });

  it('answers a generic 500 for an internal failure and logs the details, never the token', async () => {
    // Prepare
    prompt.ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded on table answers'));
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps({ logger: audibleLogger() }));

    // Act
    const { result, output } = await captureOutput(() =>
      handler(prompt.post({ token, body: { prompt: 'a secret question' } }), lambdaContext()),
    );

    // Assess
    const error = expectError(result, 500, 'INTERNAL_ERROR');
    expect(error.message).toBe('Internal server error');
    expect(result.body).not.toContain('ProvisionedThroughput');
    expect(output).toContain('ProvisionedThroughputExceeded');
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split('.')[2]);
    expectSecurityHeaders(result);
  });
});
