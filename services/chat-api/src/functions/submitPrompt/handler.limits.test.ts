import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { bodyOf, expectError } from '../../../test/support/http';
import {
  answerWrites,
  cancelled,
  ddb,
  eventBridge,
  issuer,
  makeDeps,
  NOW,
  post,
  transactions,
  useSubmitPrompt,
} from '../../../test/support/submit-prompt';
import { createHandler } from './handler';

useSubmitPrompt();

describe('submitPrompt handler limits', () => {
  it('answers 429 TOO_MANY_ANSWERS_IN_FLIGHT when every slot is held by an answer still running', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
    const lapsesAt = Math.floor(NOW.getTime() / 1000) + 60;
    ddb
      .on(GetCommand, { TableName: 'rate-limits' })
      .resolves({ Item: { slots: { a: lapsesAt, b: lapsesAt } } });
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps({ tier: 'basic' }));

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 429, 'TOO_MANY_ANSWERS_IN_FLIGHT');
    expect(result.headers?.['Retry-After']).toBe('5');
    expect(answerWrites()).toHaveLength(0);
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('sweeps lapsed in-flight slots and then admits the prompt', async () => {
    // Prepare
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'))
      .resolves({});
    const lapsed = Math.floor(NOW.getTime() / 1000) - 1;
    ddb.on(GetCommand, { TableName: 'rate-limits' }).resolves({ Item: { slots: { 'old-answer': lapsed } } });
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps());

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
    expect(ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'REMOVE slots.#a0',
      ConditionExpression: 'slots.#a0 = :v0',
      ExpressionAttributeNames: { '#a0': 'old-answer' },
    });
    expect(transactions()).toHaveLength(2);
  });

  it("answers 429 TOKEN_BUDGET_EXHAUSTED until next month once the tenant used its month's tokens", async () => {
    // Prepare
    ddb
      .on(GetCommand, { TableName: 'usage' })
      .resolves({ Item: { inputTokens: 150_000, outputTokens: 50_000 } });
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps({ tier: 'basic' }));

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 429, 'TOKEN_BUDGET_EXHAUSTED');
    const untilApril = (Date.UTC(2025, 3, 1) - NOW.getTime()) / 1000;
    expect(result.headers?.['Retry-After']).toBe(String(Math.ceil(untilApril)));
    expect(transactions()).toHaveLength(0);
    expect(answerWrites()).toHaveLength(0);
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it("reads this month's usage of the caller's tenant for the budget", async () => {
    // Prepare
    const token = await issuer.idToken({ tenantId: 'tenant-a' });
    const handler = createHandler(makeDeps());

    // Act
    await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expect(ddb.commandCalls(GetCommand, { TableName: 'usage' })[0]?.args[0].input.Key).toEqual({
      tenantId: 'tenant-a',
      sk: 'month#2025-03',
    });
  });

  it("answers 413 for a prompt longer than the tenant's tier allows, before counting it", async () => {
    // Prepare
    const token = await issuer.idToken();
    const handler = createHandler(makeDeps({ tier: 'basic' }));

    // Act
    const accepted = await handler(post({ token, body: { prompt: 'a'.repeat(1000) } }), lambdaContext());
    ddb.resetHistory();
    const refused = await handler(post({ token, body: { prompt: 'a'.repeat(1001) } }), lambdaContext());

    // Assess
    expect(accepted.statusCode).toBe(202);
    expectError(refused, 413, 'PROMPT_TOO_LONG');
    expect(bodyOf<{ error: { message: string } }>(refused).error.message).toContain('1000 characters');
    expect(transactions()).toHaveLength(0);
    expect(answerWrites()).toHaveLength(0);
  });

  it("counts the prompt against the tenant's and the user's minute and takes a slot, in one transaction", async () => {
    // Prepare
    const sub = randomUserId();
    const token = await issuer.idToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(makeDeps({ tier: 'basic' }));
    const windowStart = Math.floor(NOW.getTime() / 60_000) * 60;

    // Act
    const result = await handler(post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    const { answerId } = bodyOf<{ answerId: string }>(result);
    const items = transactions()[0]?.TransactItems ?? [];
    expect(items.map((item) => item.Update?.Key)).toEqual([
      { pk: `prompts#tenant#tenant-a#${windowStart}` },
      { pk: `prompts#user#${sub}#${windowStart}` },
      { pk: 'inflight#tenant-a' },
    ]);
    expect(items.map((item) => item.Update?.ExpressionAttributeValues?.[':limit'])).toEqual([10, 6, 2]);
    expect(items[0]?.Update).toMatchObject({
      UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeValues: { ':expiresAt': windowStart + 120 },
    });
    expect(items[2]?.Update).toMatchObject({
      UpdateExpression: 'SET slots.#answer = :lapsesAt',
      ExpressionAttributeNames: { '#answer': answerId },
      ExpressionAttributeValues: { ':lapsesAt': Math.floor(NOW.getTime() / 1000) + 240 },
    });
  });
});
