import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureOutput, lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { bodyOf, expectError, expectSecurityHeaders } from '../../../test/support/http';
import { audibleLogger } from '../../../test/support/logger';
import {
  answerUpdates,
  answerWrites,
  ddb,
  eventBridge,
  issuer,
  makeDeps,
  post,
  transactions,
  useSubmitPrompt,
} from '../../../test/support/submit-prompt';
import { PUBLISH_FAILED_REASON } from '../../answers/submit-prompt';
import { createHandler } from './handler';

useSubmitPrompt();

describe('submitPrompt handler failures', () => {
  it('answers 500 and stores nothing when the counters cannot be written', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(new Error('throttled'));
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 500, 'INTERNAL_ERROR');
    expect(answerWrites()).toHaveLength(0);
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('frees the in-flight slot and publishes nothing when the answer cannot be stored', async () => {
    // Prepare
    ddb
      .on(TransactWriteCommand)
      .callsFake((input: { TransactItems?: { Put?: { TableName?: string } }[] }) => {
        if (input.TransactItems?.[0]?.Put?.TableName === 'answers') throw new Error('throttled');
        return {};
      });
    const token = await issuer.idToken({ tenantId: 'tenant-a' });
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 500, 'INTERNAL_ERROR');
    expect(eventBridge.calls()).toHaveLength(0);
    const slot = transactions()[0]?.TransactItems?.[2]?.Update?.ExpressionAttributeNames?.['#answer'];
    expect(slot).toBeDefined();
    expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toMatchObject({
      Key: { pk: 'inflight#tenant-a' },
      UpdateExpression: 'REMOVE slots.#answer',
      ExpressionAttributeNames: { '#answer': slot },
    });
  });

  it.each([
    [
      'EventBridge rejects the entry',
      () =>
        eventBridge
          .on(PutEventsCommand)
          .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }),
    ],
    [
      'EventBridge is unreachable',
      () => eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up')),
    ],
  ])('answers 503 and marks the answer FAILED when %s', async (_case, arrange) => {
    // Prepare
    arrange();
    const sub = randomUserId();
    const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 503, 'ASSISTANT_UNAVAILABLE');
    expect(result.headers?.['Retry-After']).toBe('5');
    expect(bodyOf<{ error: { message: string } }>(result).error.message).toMatch(/try again in 5 seconds/i);
    const answerId = answerWrites()[0]?.Item?.answerId;
    expect(answerUpdates()).toEqual([
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
    expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toMatchObject({
      Key: { pk: 'inflight#tenant-a' },
      UpdateExpression: 'REMOVE slots.#answer',
      ExpressionAttributeNames: { '#answer': answerId },
    });
  });

  it('still answers 503 when marking the answer FAILED fails too', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up'));
    ddb.on(UpdateCommand, { TableName: 'answers' }).rejects(new Error('throttled'));
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 503, 'ASSISTANT_UNAVAILABLE');
  });

  it('answers a generic 500 for an internal failure and logs the details, never the token', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded on table answers'));
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps({ logger: audibleLogger() }));

    // Act
    const { result, output } = await captureOutput(() =>
      handler(post({ token, body: { prompt: 'a secret question' } }), lambdaContext()),
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
