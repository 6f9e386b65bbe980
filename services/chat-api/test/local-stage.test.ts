import { startLocalStage, stopLocalStage, template } from './support/local-stage';

/**
 * The `local` stage, as the dev command runs it: its packaged template points at the local stand-ins,
 * and the DynamoDB adapters work against Amazon DynamoDB Local with the tables exactly as that
 * template declares them (expressions, conditions and indexes checked by a real engine).
 */
jest.setTimeout(120_000);

import './local-stage/answers-table';
import './local-stage/limits-and-usage';

beforeAll(startLocalStage);
afterAll(stopLocalStage);

describe('local stage template', () => {
  it('points the functions at the local Cognito emulator, the local bus and serverless-offline', () => {
    // Act
    const environment = (logicalId: string) =>
      (
        (template.Resources[logicalId]?.Properties?.Environment ?? { Variables: {} }) as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    const submit = environment('SubmitPromptLambdaFunction');
    const onAnswer = environment('OnAnswerEventLambdaFunction');

    // Assess
    expect(submit).toMatchObject({
      COGNITO_USER_POOL_ID: 'us-east-1_LocalDev1',
      COGNITO_ISSUER: 'http://127.0.0.1:9229/us-east-1_LocalDev1',
      EVENT_BUS_NAME: 'tenant-assistant-local',
    });
    expect(onAnswer.WEBSOCKET_API_ENDPOINT).toBe('http://127.0.0.1:3001');
  });
});
