import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UserId } from '@tenant-assistant/tenant-context';
import { httpApiEvent, lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { anAnswer } from '../../../test/support/answers';
import { readHandlerSetup } from '../../../test/support/deps';
import { bodyOf, expectError, expectSecurityHeaders } from '../../../test/support/http';
import { TIMED_OUT_REASON } from '../../answers/model';
import { createHandler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const setup = readHandlerSetup(createHandler);

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
});

const get = (answerId: string, token?: string) =>
  httpApiEvent({
    method: 'GET',
    path: `/answers/${answerId}`,
    routeKey: 'GET /answers/{answerId}',
    pathParameters: { answerId },
    ...(token ? { token } : {}),
  });

describe('getAnswer handler', () => {
  it("returns the caller's answer", async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const answer = anAnswer({ userId: sub, status: 'COMPLETED', text: 'Your order shipped.' });
    ddb.on(GetCommand, { Key: { userId: sub, answerId: answer.answerId } }).resolves({ Item: { ...answer } });
    const token = await setup.issuer.idToken({ sub, tenantId: answer.tenantId });

    // Act
    const result = await setup.handler(get(answer.answerId, token), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      answerId: answer.answerId,
      conversationId: answer.conversationId,
      prompt: answer.prompt,
      status: 'COMPLETED',
      text: 'Your order shipped.',
      createdAt: answer.createdAt,
      updatedAt: answer.updatedAt,
      deadlineAt: answer.deadlineAt,
    });
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'answers',
      Key: { userId: sub, answerId: answer.answerId },
      ConsistentRead: true,
    });
    expectSecurityHeaders(result);
    expect(result.headers?.['Cache-Control']).toBe('no-store');
  });

  it('ends an open answer past its deadline with one conditional write and shows it FAILED (timed out)', async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const answer = anAnswer({
      userId: sub,
      status: 'STREAMING',
      chunks: { 0: 'Part' },
      deadlineAt: '2025-01-01T10:04:00.000Z',
    });
    ddb.on(GetCommand).resolves({ Item: { ...answer } });
    ddb.on(UpdateCommand).resolves({});
    const token = await setup.issuer.idToken({ sub, tenantId: answer.tenantId });

    // Act
    const result = await setup.handler(get(answer.answerId, token), lambdaContext());

    // Assess
    expect(bodyOf(result)).toMatchObject({ status: 'FAILED', reason: TIMED_OUT_REASON, text: '' });
    const update = ddb.commandCalls(UpdateCommand);
    expect(update).toHaveLength(1);
    expect(update[0]?.args[0].input).toMatchObject({
      Key: { userId: sub, answerId: answer.answerId },
      ConditionExpression: expect.stringContaining('deadlineAt <= :now'),
    });
  });

  it('shows what another path stored when it ended the overdue answer first', async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const answer = anAnswer({ userId: sub, deadlineAt: '2025-01-01T10:04:00.000Z' });
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { ...answer } })
      .resolves({ Item: { ...answer, status: 'COMPLETED', text: 'Just in time.' } });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }));
    const token = await setup.issuer.idToken({ sub, tenantId: answer.tenantId });

    // Act
    const result = await setup.handler(get(answer.answerId, token), lambdaContext());

    // Assess
    expect(bodyOf(result)).toMatchObject({ status: 'COMPLETED', text: 'Just in time.' });
  });

  describe('refusals', () => {
    it("answers 404 for another user's answer without reading it", async () => {
      // Prepare
      const victim = anAnswer();
      ddb.on(GetCommand).resolves({ Item: { ...victim } });
      const token = await setup.issuer.idToken({ tenantId: victim.tenantId });

      // Act
      const result = await setup.handler(get(victim.answerId, token), lambdaContext());

      // Assess
      expectError(result, 404, 'ANSWER_NOT_FOUND');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers the same 404 for a missing, a malformed and a foreign answer id', async () => {
      // Prepare
      const sub = randomUserId() as UserId;
      const token = await setup.issuer.idToken({ sub });
      const missing = anAnswer({ userId: sub }).answerId;
      const ids = [
        missing,
        'not-an-id',
        `${sub}.short`,
        `${sub}x.01J00000000000000000000000`,
        anAnswer().answerId,
      ];

      // Act
      const results = await Promise.all(ids.map((id) => setup.handler(get(id, token), lambdaContext())));

      // Assess
      const bodies = results.map((result) => {
        expectError(result, 404, 'ANSWER_NOT_FOUND');
        return result.body;
      });
      expect(new Set(bodies).size).toBe(1);
    });

    it('answers 404 for an answer stored under another tenant', async () => {
      // Prepare
      const sub = randomUserId() as UserId;
      const answer = anAnswer({ userId: sub, tenantId: anAnswer().tenantId });
      ddb.on(GetCommand).resolves({ Item: { ...answer, tenantId: 'tenant-other' } });
      const token = await setup.issuer.idToken({ sub, tenantId: answer.tenantId });

      // Act
      const result = await setup.handler(get(answer.answerId, token), lambdaContext());

      // Assess
      expectError(result, 404, 'ANSWER_NOT_FOUND');
    });

    it('answers 401 without a valid token', async () => {
      // Prepare
      const answer = anAnswer();

      // Act
      const results = [
        await setup.handler(get(answer.answerId), lambdaContext()),
        await setup.handler(
          get(answer.answerId, await setup.issuer.idToken({ expiresInSeconds: -1 })),
          lambdaContext(),
        ),
      ];

      // Assess
      for (const result of results) expectError(result, 401, 'UNAUTHORIZED');
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 403 for a token without a tenant', async () => {
      // Prepare
      const token = await setup.issuer.idToken({ tenantId: null });

      // Act
      const result = await setup.handler(get(anAnswer().answerId, token), lambdaContext());

      // Assess
      expectError(result, 403, 'FORBIDDEN');
    });

    it('answers a generic 500 when the table fails', async () => {
      // Prepare
      const sub = randomUserId() as UserId;
      ddb.on(GetCommand).rejects(new Error('Requested resource not found: Table answers'));
      const token = await setup.issuer.idToken({ sub });

      // Act
      const result = await setup.handler(get(anAnswer({ userId: sub }).answerId, token), lambdaContext());

      // Assess
      expect(expectError(result, 500, 'INTERNAL_ERROR').message).toBe('Internal server error');
      expect(result.body).not.toContain('Table');
    });
  });
});
