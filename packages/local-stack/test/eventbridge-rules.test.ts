import { join } from 'node:path';
import { asyncSettingsOf, ConfigurationError, loadRulesFromServerlessYml } from '../src';

const fixture = join(__dirname, 'fixtures', 'consumer', 'serverless.yml');

describe('loadRulesFromServerlessYml', () => {
  it('reads function eventBridge events and AWS::Events::Rule resources targeting functions', () => {
    // Act
    const rules = loadRulesFromServerlessYml(fixture, { stage: 'local' });

    // Assess
    expect(rules).toEqual([
      {
        service: 'fixture-consumer',
        functionName: 'onPrompt',
        eventBus: 'fixture-local',
        pattern: { source: ['tenant-assistant.chat-api'], 'detail-type': ['PromptSubmitted'] },
        ruleName: 'fixture-consumer-local-prompt',
        handler: 'src/functions/onPrompt/handler.handler',
        maximumRetryAttempts: 4,
        maximumEventAgeSeconds: 900,
        deadLetterQueueArn: 'arn:aws:sqs:us-east-1:000000000000:fixture-consumer-local-dlq',
        reservedConcurrency: 3,
        deployedName: 'fixture-consumer-local-onPrompt',
        functionAsync: {
          maximumRetryAttempts: 1,
          maximumEventAgeSeconds: 600,
          onFailureArn: 'arn:aws:sqs:us-east-1:000000000000:fixture-consumer-local-dlq',
        },
      },
      {
        service: 'fixture-consumer',
        functionName: 'onOwnBus',
        eventBus: 'fixture-own-local',
        pattern: {
          'detail-type': ['AnswerChunk', 'AnswerCompleted'],
          detail: { tenantId: [{ exists: true }] },
        },
        handler: 'src/functions/onOwnBus/handler.handler',
        deployedName: 'fixture-consumer-local-onOwnBus',
      },
      {
        service: 'fixture-consumer',
        functionName: 'onDefaultBus',
        eventBus: 'default',
        pattern: { source: [{ prefix: 'tenant-assistant.' }] },
        handler: 'src/functions/onDefaultBus/handler.handler',
        deployedName: 'fixture-consumer-local-onDefaultBus',
      },
      {
        service: 'fixture-consumer',
        functionName: 'provision',
        eventBus: 'control-local',
        pattern: { source: ['tenant-assistant.auth'], 'detail-type': ['TenantOnboarded'] },
        ruleName: 'fixture-consumer-local-provision',
        handler: 'src/functions/provision/handler.handler',
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 3600,
        deadLetterQueueArn: 'arn:aws:sqs:us-east-1:000000000000:fixture-consumer-local-dlq',
        deployedName: 'fixture-consumer-local-provision',
      },
    ]);
  });

  it('resolves an imported bus name from the given imports', () => {
    const rules = loadRulesFromServerlessYml(fixture, {
      stage: 'dev',
      imports: { 'fixture-producer-dev-EventBusName': 'producer-bus-dev' },
    });

    expect(rules[0]?.eventBus).toBe('producer-bus-dev');
    expect(rules[1]?.eventBus).toBe('fixture-own-dev');
  });

  it('names the import it cannot resolve', () => {
    expect(() => loadRulesFromServerlessYml(fixture, { stage: 'dev' })).toThrow(ConfigurationError);
    expect(() => loadRulesFromServerlessYml(fixture, { stage: 'dev' })).toThrow(
      /fixture-producer-dev-EventBusName/,
    );
  });

  it('refuses an on-failure destination that is not an SQS queue', () => {
    // Act / Assess
    expect(() =>
      asyncSettingsOf(
        { destinations: { onFailure: 'arn:aws:sns:us-east-1:000000000000:topic' } },
        (v) => v,
        'functions.f',
        'x.yml',
      ),
    ).toThrow(/must be an SQS queue ARN/);
    expect(() => asyncSettingsOf({ maximumRetryAttempts: 3 }, (v) => v, 'functions.f', 'x.yml')).toThrow(
      /maximumRetryAttempts must be a whole number from 0 to 2/,
    );
  });

  it('reports a file it cannot read', () => {
    expect(() => loadRulesFromServerlessYml(join(__dirname, 'missing.yml'))).toThrow(ConfigurationError);
  });
});
