import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { UserId } from '@tenant-assistant/tenant-context';
import { lambdaContext, randomUserId } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { TENANT } from '../../../test/support/answers';
import { readHandlerSetup } from '../../../test/support/deps';
import { bodyOf, expectError, expectSecurityHeaders, listEvent } from '../../../test/support/http';
import { encodeConversationCursor } from '../../answers/list-conversations';
import { createHandler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const setup = readHandlerSetup(createHandler);

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
});

const list = (query: Record<string, string>, token?: string) => listEvent('/conversations', query, token);

const conversation = (
  userId: string,
  conversationId: string,
  lastPromptAt: string,
  tenantId: string = TENANT,
) => ({
  userId,
  tenantId,
  conversationId,
  title: `About ${conversationId}`,
  createdAt: '2025-03-01T10:00:00.000Z',
  lastPromptAt,
  expiresAt: 1_800_000_000,
});

describe('listConversations handler', () => {
  it("lists the caller's own conversations, newest first, with their first prompt as title and a cursor", async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    ddb.on(QueryCommand).resolves({
      Items: [
        conversation(sub, 'c-2', '2025-03-01T12:00:00.000Z'),
        conversation(sub, 'c-1', '2025-03-01T11:00:00.000Z'),
      ],
      LastEvaluatedKey: { userId: sub, conversationId: 'c-1', lastPromptAt: '2025-03-01T11:00:00.000Z' },
    });
    const token = await setup.issuer.idToken({ sub, tenantId: TENANT });

    // Act
    const result = await setup.handler(list({ limit: '2' }, token), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      conversations: [
        {
          conversationId: 'c-2',
          title: 'About c-2',
          createdAt: '2025-03-01T10:00:00.000Z',
          lastPromptAt: '2025-03-01T12:00:00.000Z',
        },
        {
          conversationId: 'c-1',
          title: 'About c-1',
          createdAt: '2025-03-01T10:00:00.000Z',
          lastPromptAt: '2025-03-01T11:00:00.000Z',
        },
      ],
      nextCursor: encodeConversationCursor({
        conversationId: 'c-1',
        lastPromptAt: '2025-03-01T11:00:00.000Z',
      }),
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: 'conversations',
      IndexName: 'recent-index',
      KeyConditionExpression: 'userId = :userId',
      ExpressionAttributeValues: { ':userId': sub },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 2,
    });
    expectSecurityHeaders(result);
  });

  it("continues after a cursor within the caller's own partition, whatever the cursor holds", async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    const forged = Buffer.from(
      JSON.stringify({
        conversationId: 'c-9',
        lastPromptAt: '2025-03-01T11:00:00.000Z',
        userId: randomUserId(),
      }),
    ).toString('base64url');
    const token = await setup.issuer.idToken({ sub, tenantId: TENANT });

    // Act
    const result = await setup.handler(list({ cursor: forged }, token), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ExpressionAttributeValues: { ':userId': sub },
      ExclusiveStartKey: { userId: sub, conversationId: 'c-9', lastPromptAt: '2025-03-01T11:00:00.000Z' },
    });
  });

  it('leaves out a conversation stored under another tenant', async () => {
    // Prepare
    const sub = randomUserId() as UserId;
    ddb.on(QueryCommand).resolves({
      Items: [
        conversation(sub, 'own', '2025-03-01T12:00:00.000Z'),
        conversation(sub, 'foreign', '2025-03-01T11:00:00.000Z', 'tenant-z'),
      ],
    });
    const token = await setup.issuer.idToken({ sub, tenantId: TENANT });

    // Act
    const result = await setup.handler(list({}, token), lambdaContext());

    // Assess
    expect(
      bodyOf<{ conversations: { conversationId: string }[] }>(result).conversations.map(
        (c) => c.conversationId,
      ),
    ).toEqual(['own']);
  });

  describe('refusals', () => {
    it.each([
      ['a limit of 0', { limit: '0' }, 'VALIDATION_FAILED'],
      ['a limit above 50', { limit: '51' }, 'VALIDATION_FAILED'],
      ['a cursor that is not ours', { cursor: 'bm90LWpzb24' }, 'INVALID_CURSOR'],
    ])('answers 400 for %s', async (_case, query, code) => {
      // Prepare
      const token = await setup.issuer.idToken();

      // Act
      const result = await setup.handler(list(query, token), lambdaContext());

      // Assess
      expectError(result, 400, code);
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 401 without a token and 403 without a tenant', async () => {
      // Prepare
      const noTenant = await setup.issuer.idToken({ tenantId: null });

      // Act
      const anonymous = await setup.handler(list({}), lambdaContext());
      const tenantless = await setup.handler(list({}, noTenant), lambdaContext());

      // Assess
      expectError(anonymous, 401, 'UNAUTHORIZED');
      expectError(tenantless, 403, 'FORBIDDEN');
      expect(ddb.calls()).toHaveLength(0);
    });
  });
});
