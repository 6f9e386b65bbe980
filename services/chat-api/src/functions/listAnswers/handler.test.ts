import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UserId } from '@tenant-assistant/tenant-context';
import { lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { anAnswer, TENANT } from '../../../test/support/answers';
import { readHandlerSetup } from '../../../test/support/deps';
import { bodyOf, expectError, expectSecurityHeaders, listEvent } from '../../../test/support/http';
import { TIMED_OUT_REASON } from '../../answers/model';
import { encodeCursor } from '../../answers/read-answers';
import { createHandler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const setup = readHandlerSetup(createHandler);

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
});

const list = (query: Record<string, string>, token?: string) => listEvent('/answers', query, token);

describe('listAnswers handler', () => {
  it("returns the caller's answers of one conversation, oldest first, with a cursor to the next page", async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const first = anAnswer({ userId: sub, conversationId: 'conv-1', status: 'COMPLETED', text: 'One' });
    const second = anAnswer({
      userId: sub,
      conversationId: 'conv-1',
      status: 'STREAMING',
      chunks: { 0: 'Tw' },
    });
    ddb.on(QueryCommand).resolves({
      Items: [{ ...first }, { ...second }],
      LastEvaluatedKey: {
        userId: sub,
        answerId: second.answerId,
        conversationSk: `conv-1#${second.answerId}`,
      },
    });
    const token = await setup.issuer.idToken({ sub, tenantId: TENANT });

    // Act
    const result = await setup.handler(
      list({ conversationId: 'conv-1', limit: '2' }, token),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    const page = bodyOf<{
      conversationId: string;
      answers: { answerId: string; text: string }[];
      nextCursor: string;
    }>(result);
    expect(page.conversationId).toBe('conv-1');
    expect(page.answers.map((answer) => [answer.answerId, answer.text])).toEqual([
      [first.answerId, 'One'],
      [second.answerId, 'Tw'],
    ]);
    expect(page.nextCursor).toBe(encodeCursor(second.answerId));
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: 'answers',
      IndexName: 'conversation-index',
      KeyConditionExpression: 'userId = :userId AND begins_with(conversationSk, :conversation)',
      ExpressionAttributeValues: { ':userId': sub, ':conversation': 'conv-1#' },
      ScanIndexForward: true,
      ConsistentRead: true,
      Limit: 2,
    });
    expectSecurityHeaders(result);
  });

  it('continues after the cursor, still within the caller’s own answers', async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const after = anAnswer({ userId: sub, conversationId: 'conv-1' }).answerId;
    const token = await setup.issuer.idToken({ sub });

    // Act
    const result = await setup.handler(
      list({ conversationId: 'conv-1', cursor: encodeCursor(after) }, token),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ conversationId: 'conv-1', answers: [] });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      Limit: 20,
      ExclusiveStartKey: { userId: sub, answerId: after, conversationSk: `conv-1#${after}` },
    });
  });

  it("answers 404 for a conversation the caller has no answer in (another user's among them)", async () => {
    // Prepare
    const token = await setup.issuer.idToken();

    // Act
    const result = await setup.handler(list({ conversationId: 'someone-elses' }, token), lambdaContext());

    // Assess
    expectError(result, 404, 'CONVERSATION_NOT_FOUND');
  });

  it('ends open answers past their deadline in the history it returns', async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const done = anAnswer({ userId: sub, conversationId: 'conv-1', status: 'COMPLETED', text: 'One' });
    const stale = anAnswer({ userId: sub, conversationId: 'conv-1', deadlineAt: '2025-01-01T10:04:00.000Z' });
    ddb.on(QueryCommand).resolves({ Items: [{ ...done }, { ...stale }] });
    ddb.on(UpdateCommand).resolves({});
    const token = await setup.issuer.idToken({ sub, tenantId: TENANT });

    // Act
    const result = await setup.handler(list({ conversationId: 'conv-1' }, token), lambdaContext());

    // Assess
    expect(bodyOf<{ answers: { status: string; reason?: string }[] }>(result).answers).toEqual([
      expect.objectContaining({ status: 'COMPLETED' }),
      expect.objectContaining({ status: 'FAILED', reason: TIMED_OUT_REASON }),
    ]);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('leaves out answers stored under another tenant', async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const own = anAnswer({ userId: sub, conversationId: 'conv-1' });
    const foreign = anAnswer({
      userId: sub,
      conversationId: 'conv-1',
      tenantId: 'tenant-z' as typeof TENANT,
    });
    ddb.on(QueryCommand).resolves({ Items: [{ ...own }, { ...foreign }] });
    const token = await setup.issuer.idToken({ sub, tenantId: TENANT });

    // Act
    const result = await setup.handler(list({ conversationId: 'conv-1' }, token), lambdaContext());

    // Assess
    expect(
      bodyOf<{ answers: { answerId: string }[] }>(result).answers.map((answer) => answer.answerId),
    ).toEqual([own.answerId]);
  });

  describe('refusals', () => {
    it.each([
      ['no conversationId', {}],
      ['an invalid conversationId', { conversationId: 'a b' }],
      ['a limit of 0', { conversationId: 'c', limit: '0' }],
      ['a limit above 100', { conversationId: 'c', limit: '101' }],
      ['a limit that is not a number', { conversationId: 'c', limit: 'ten' }],
    ])('answers 400 for %s', async (_case, query) => {
      // Prepare
      const token = await setup.issuer.idToken();

      // Act
      const result = await setup.handler(list(query, token), lambdaContext());

      // Assess
      expectError(result, 400, 'VALIDATION_FAILED');
      expect(ddb.calls()).toHaveLength(0);
    });

    it("answers 400 for a cursor into another user's answers", async () => {
      // Prepare
      const token = await setup.issuer.idToken();
      const foreignCursor = encodeCursor(anAnswer().answerId);

      // Act
      const results = [
        await setup.handler(list({ conversationId: 'c', cursor: foreignCursor }, token), lambdaContext()),
        await setup.handler(list({ conversationId: 'c', cursor: 'garbage' }, token), lambdaContext()),
      ];

      // Assess
      for (const result of results) expectError(result, 400, 'INVALID_CURSOR');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 401 without a token and 403 without a tenant', async () => {
      // Prepare
      const tenantless = await setup.issuer.idToken({ tenantId: null });

      // Act
      const anonymous = await setup.handler(list({ conversationId: 'c' }), lambdaContext());
      const noTenant = await setup.handler(list({ conversationId: 'c' }, tenantless), lambdaContext());

      // Assess
      expectError(anonymous, 401, 'UNAUTHORIZED');
      expectError(noTenant, 403, 'FORBIDDEN');
      expect(ddb.calls()).toHaveLength(0);
    });
  });
});
