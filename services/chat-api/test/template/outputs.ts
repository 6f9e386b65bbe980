import { dev } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('chat-api template', () => {
  describe('outputs', () => {
    it('exports the bus, the API URLs and the tables as <service>-<stage>-<OutputKey>', () => {
      // Act
      const outputs = dev.Outputs ?? {};

      // Assess
      for (const key of [
        'EventBusName',
        'EventBusArn',
        'HttpApiUrl',
        'ServiceEndpointWebsocket',
        'AnswersTableName',
        'ConversationsTableName',
        'ConnectionsTableName',
      ]) {
        expect(outputs[key]?.Export?.Name).toBe(`tenant-assistant-chat-api-dev-${key}`);
      }
      for (const [key, output] of Object.entries(outputs)) {
        expect([key, output.Export?.Name]).toEqual([key, `tenant-assistant-chat-api-dev-${key}`]);
      }
    });
  });
});
