import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { bodyOf, expectError } from '../../../test/support/http';
import * as prompt from '../../../test/support/submit-prompt';
import { createHandler } from './handler';

describe('submitPrompt handler limits', () => {
  it('answers 429 TOO_MANY_ANSWERS_IN_FLIGHT when every slot is held by an answer still running', async () => {
    // Prepare
    prompt.ddb.on(TransactWriteCommand).rejects(prompt.cancelled('None', 'None', 'ConditionalCheckFailed'));
    const lapsesAt = Math.floor(prompt.NOW.getTime() / 1000) + 60;
    prompt.ddb
      .on(GetCommand, { TableName: 'rate-limits' })
      .resolves({ Item: { slots: { a: lapsesAt, b: lapsesAt } } });
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps({ tier: 'basic' }));

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 429, 'TOO_MANY_ANSWERS_IN_FLIGHT');
    expect(result.headers?.['Retry-After']).toBe('5');
    expect(prompt.answerWrites()).toHaveLength(0);
    expect(prompt.eventBridge.calls()).toHaveLength(0);
  });

  it('sweeps lapsed in-flight slots and then admits the prompt', async () => {
    // Prepare
    prompt.ddb
      .on(TransactWriteCommand)
      .rejectsOnce(prompt.cancelled('None', 'None', 'ConditionalCheckFailed'))
      .resolves({});
    const lapsed = Math.floor(prompt.NOW.getTime() / 1000) - 1;
    prompt.ddb
      .on(GetCommand, { TableName: 'rate-limits' })
      .resolves({ Item: { slots: { 'old-answer': lapsed } } });
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps());

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(202);
    expect(
      prompt.ddb.commandCalls(UpdateCommand, { TableName: 'rate-limits' })[0]?.args[0].input,
    ).toMatchObject({
      UpdateExpression: 'REMOVE slots.#a0',
      ConditionExpression: 'slots.#a0 = :v0',
      ExpressionAttributeNames: { '#a0': 'old-answer' },
    });
    expect(prompt.transactions()).toHaveLength(2);
  });

  it("answers 429 TOKEN_BUDGET_EXHAUSTED until next month once the tenant used its month's tokens", async () => {
    // Prepare
    prompt.ddb
      .on(GetCommand, { TableName: 'usage' })
      .resolves({ Item: { inputTokens: 150_000, outputTokens: 50_000 } });
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps({ tier: 'basic' }));

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expectError(result, 429, 'TOKEN_BUDGET_EXHAUSTED');
    const untilApril = (Date.UTC(2025, 3, 1) - prompt.NOW.getTime()) / 1000;
    expect(result.headers?.['Retry-After']).toBe(String(Math.ceil(untilApril)));
    expect(prompt.transactions()).toHaveLength(0);
    expect(prompt.answerWrites()).toHaveLength(0);
    expect(prompt.eventBridge.calls()).toHaveLength(0);
  });

  it("reads this month's usage of the caller's tenant for the budget", async () => {
    // Prepare
    const token = await prompt.issuer.idToken({ tenantId: 'tenant-a' });
    const handler = createHandler(prompt.makeDeps());

    // Act
    await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    expect(prompt.ddb.commandCalls(GetCommand, { TableName: 'usage' })[0]?.args[0].input.Key).toEqual({
      tenantId: 'tenant-a',
      sk: 'month#2025-03',
    });
  });

  it("answers 413 for a prompt longer than the tenant's tier allows, before counting it", async () => {
    // Prepare
    const token = await prompt.issuer.idToken();
    const handler = createHandler(prompt.makeDeps({ tier: 'basic' }));

    // Act
    const accepted = await handler(
      prompt.post({ token, body: { prompt: 'a'.repeat(1000) } }),
      lambdaContext(),
    );
    prompt.ddb.resetHistory();
    const refused = await handler(
      prompt.post({ token, body: { prompt: 'a'.repeat(1001) } }),
      lambdaContext(),
    );

    // Assess
    expect(accepted.statusCode).toBe(202);
    expectError(refused, 413, 'PROMPT_TOO_LONG');
    expect(bodyOf<{ error: { message: string } }>(refused).error.message).toContain('1000 characters');
    expect(prompt.transactions()).toHaveLength(0);
    expect(prompt.answerWrites()).toHaveLength(0);
  });

  it("counts the prompt against the tenant's and the user's minute and takes a slot, in one transaction", async () => {
    // Prepare
    const sub = randomUserId();
    const token = await prompt.issuer.idToken({ sub, tenantId: 'tenant-a' });
    const handler = createHandler(prompt.makeDeps({ tier: 'basic' }));
    const windowStart = Math.floor(prompt.NOW.getTime() / 60_000) * 60;

    // Act
    const result = await handler(prompt.post({ token, body: { prompt: 'hi' } }), lambdaContext());

    // Assess
    const { answerId } = bodyOf<{ answerId: string }>(result);
    const items = prompt.transactions()[0]?.TransactItems ?? [];
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
      ExpressionAttributeValues: { ':lapsesAt': Math.floor(prompt.NOW.getTime() / 1000) + 240 },
    });
  });
});
