import { dev, prod, props, resource } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('chat-api template', () => {
  describe('tables', () => {
    it("keys conversations by owner, ordered by their latest prompt within the owner's partition", () => {
      // Act
      const conversations = props(dev, 'ConversationsTable');

      // Assess
      expect(conversations).toMatchObject({
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'conversationId', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          expect.objectContaining({
            IndexName: 'recent-index',
            KeySchema: [
              { AttributeName: 'userId', KeyType: 'HASH' },
              { AttributeName: 'lastPromptAt', KeyType: 'RANGE' },
            ],
          }),
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('keys answers by owner, with a conversation index in the same partition and a TTL', () => {
      // Act
      const answers = props(dev, 'AnswersTable');

      // Assess
      expect(answers).toMatchObject({
        TableName: 'tenant-assistant-chat-api-dev-answers',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'answerId', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'conversation-index',
            KeySchema: [
              { AttributeName: 'userId', KeyType: 'HASH' },
              { AttributeName: 'conversationSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('keys connections by id, with a user index and a TTL', () => {
      // Act
      const connections = props(dev, 'ConnectionsTable');

      // Assess
      expect(connections).toMatchObject({
        KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          expect.objectContaining({
            IndexName: 'user-index',
            KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          }),
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('expires rate-limit counters', () => {
      // Assess
      expect(props(dev, 'RateLimitsTable').TimeToLiveSpecification).toEqual({
        AttributeName: 'expiresAt',
        Enabled: true,
      });
    });

    it('retains the answers table in prod only', () => {
      // Assess
      expect(resource(prod, 'AnswersTable').DeletionPolicy).toBe('Retain');
      expect(resource(dev, 'AnswersTable').DeletionPolicy).toBe('Delete');
    });
  });
});
