import { BedrockAgentRuntimeClient, InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SESSION_ATTRIBUTE_KEYS } from '@tenant-assistant/tenant-context/credentials';
import { captureOutput, lambdaContext, randomTenantId, randomUserId } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import {
  agentStream,
  fakeClock,
  fakeIdempotencyTable,
  fakeSleep,
  fakeUserPool,
  invokeAgentRequest,
  promptDetail,
  promptEvent,
  publishedEvents,
  testConfig,
} from '../../../test/support/fakes';
import { clients } from '../../clients';
import { FAILURE_REASONS } from '../../domain/failures';
import type { PromptEvent } from '../../domain/idempotent-answer';
import { createDeps } from './deps';
import { createHandler, handler as deployedHandler, logger } from './handler';

const stsMock = mockClient(STSClient);
const agentMock = mockClient(BedrockAgentRuntimeClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const dynamodbMock = mockClient(DynamoDBClient);
const cognitoMock = mockClient(CognitoIdentityProviderClient);

const secrets = {
  accessKeyId: 'ASIAQWERTYUIOPASDFGH',
  secretAccessKey: 'k7Tz9/QpL2mXv8RbN4wYc1HsE6uJd3GfA5oKi0Ze',
  sessionToken: `FwoGZXIvYXdzEXAMPLE${'Zm9vYmFyYmF6'.repeat(20)}`,
};

const setup = () => {
  const clock = fakeClock();
  const { sleep } = fakeSleep();
  const deps = createDeps({
    config: testConfig,
    clients,
    logger,
    ports: { clock: clock.now, sleep, random: () => 0.5 },
  });
  return { clock, handler: createHandler(() => deps) };
};

const untilCalled = async (count: () => number) => {
  for (let i = 0; i < 1000 && count() === 0; i++) await new Promise((resolve) => setImmediate(resolve));
};

const logLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeEach(() => {
  for (const mock of [stsMock, agentMock, eventBridgeMock, dynamodbMock, cognitoMock]) mock.reset();
  fakeIdempotencyTable(dynamodbMock);
  fakeUserPool(cognitoMock);
  stsMock.on(AssumeRoleCommand).resolves({
    Credentials: { ...toSts(secrets), Expiration: new Date(Date.now() + 3_600_000) },
  });
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  agentMock.on(InvokeAgentCommand).callsFake(async () => agentStream(['The return window ', 'is 30 days.']));
});

function toSts(values: typeof secrets) {
  return {
    AccessKeyId: values.accessKeyId,
    SecretAccessKey: values.secretAccessKey,
    SessionToken: values.sessionToken,
  };
}

describe('invokeAgent handler', () => {
  test('sends the exact InvokeAgent request and publishes the answer', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail();

    // Act
    const result = await handler(promptEvent(detail), lambdaContext());

    // Assess
    const calls = agentMock.commandCalls(InvokeAgentCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual(
      invokeAgentRequest(testConfig, detail, secrets, expect.any(String)),
    );
    expect(publishedEvents(eventBridgeMock).at(-1)).toMatchObject({
      detailType: 'AnswerCompleted',
      detail: { answerId: detail.answerId, text: 'The return window is 30 days.' },
    });
    expect(result).toMatchObject({ answerId: detail.answerId, outcome: 'completed' });
  });

  test('assumes the data-access role with the session tags and session policy of the prompt’s tenant and user', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail();

    // Act
    await handler(promptEvent(detail), lambdaContext());

    // Assess
    const input = stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(input?.RoleArn).toBe(testConfig.tenantDataAccessRoleArn);
    expect(input?.Tags).toEqual([
      { Key: 'tenantId', Value: detail.tenantId },
      { Key: 'userId', Value: detail.userId },
    ]);
    expect(
      JSON.parse(input?.Policy ?? '{}').Statement.map((s: { Resource: string[] }) => s.Resource),
    ).toEqual([[testConfig.tenantConfigTableArn], [`${testConfig.ordersTableArnPrefix}${detail.tenantId}`]]);
  });

  test('answers a redelivered event only once', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail();

    // Act
    const first = await handler(promptEvent(detail), lambdaContext());
    const second = await handler(promptEvent(detail), lambdaContext());

    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    expect(publishedEvents(eventBridgeMock).filter((e) => e.detailType === 'AnswerCompleted')).toHaveLength(
      1,
    );
    expect(second).toEqual({ ...first, replayed: true });
  });

  test('skips a duplicate that arrives while the first delivery is still being answered', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    agentMock
      .on(InvokeAgentCommand)
      .callsFake(async () => agentStream(['Hello', { waitFor: gate }, ' world']));

    // Act
    const first = handler(promptEvent(detail), lambdaContext());
    await untilCalled(() => agentMock.commandCalls(InvokeAgentCommand).length);
    const duplicate = await handler(promptEvent(detail), lambdaContext());
    release();

    // Assess
    expect(duplicate).toEqual({ answerId: detail.answerId, outcome: 'skipped' });
    expect(await first).toMatchObject({ outcome: 'completed' });
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
  });

  test('answers again when the first delivery failed without publishing anything', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail();
    eventBridgeMock
      .on(PutEventsCommand)
      .rejectsOnce(new Error('EventBridge unavailable'))
      .rejectsOnce(new Error('EventBridge still unavailable'))
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    const first = handler(promptEvent(detail), lambdaContext());
    await expect(first).rejects.toThrow();
    const retried = await handler(promptEvent(detail), lambdaContext());

    // Assess
    expect(retried).toMatchObject({ outcome: 'completed' });
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(2);
  });

  test('assumes the role once for 50 prompts of the same tenant and user', async () => {
    // Prepare
    const { handler } = setup();
    const first = promptDetail();
    const prompts = Array.from({ length: 50 }, () =>
      promptDetail({ tenantId: first.tenantId, userId: first.userId }),
    );

    // Act
    const results = await Promise.all(prompts.map((detail) => handler(promptEvent(detail), lambdaContext())));

    // Assess
    expect(results.every((r) => r.outcome === 'completed')).toBe(true);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(50);
  });

  test('never shares credentials between users or tenants', async () => {
    // Prepare
    const { handler } = setup();
    const tenantId = randomTenantId();
    const prompts = [
      promptDetail({ tenantId, userId: randomUserId() }),
      promptDetail({ tenantId, userId: randomUserId() }),
      promptDetail({ tenantId: randomTenantId() }),
    ];

    // Act
    for (const detail of prompts) await handler(promptEvent(detail), lambdaContext());

    // Assess
    const tags = stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.Tags);
    expect(tags).toEqual(
      prompts.map((p) => [
        { Key: 'tenantId', Value: p.tenantId },
        { Key: 'userId', Value: p.userId },
      ]),
    );
  });

  test('publishes AnswerFailed when STS refuses the credentials', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail();
    stsMock
      .on(AssumeRoleCommand)
      .rejects(
        Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }),
      );

    // Act
    const result = await handler(promptEvent(detail), lambdaContext());

    // Assess
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock).map((e) => [e.detailType, e.detail.reason])).toEqual([
      ['AnswerFailed', FAILURE_REASONS.unavailable],
    ]);
    expect(result).toMatchObject({ outcome: 'failed', reason: 'unavailable' });
  });

  test('never logs the credentials, the session attributes or the event, even when calls fail', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail({ prompt: 'My card number is in this prompt' });
    const echo = `Value '${secrets.secretAccessKey}' at 'sessionState.sessionAttributes' failed: ${secrets.sessionToken}`;
    agentMock
      .on(InvokeAgentCommand)
      .rejectsOnce(
        Object.assign(new Error(echo), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }),
      )
      .rejectsOnce(
        Object.assign(new Error(echo), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }),
      )
      .callsFake(async () => agentStream([`Answer for ${detail.tenantId}`]));
    logger.setLogLevel('DEBUG');

    // Act
    const { output } = await captureOutput(async () => {
      await handler(promptEvent(detail), lambdaContext());
      await handler(
        promptEvent(promptDetail({ tenantId: detail.tenantId, userId: detail.userId })),
        lambdaContext(),
      );
    });
    logger.setLogLevel('INFO');

    // Assess
    const messages = logLines(output).map((line) => line.message);
    expect(messages).toEqual(
      expect.arrayContaining(['Dependency call failed; retrying', 'Answer failed', 'Answer completed']),
    );
    for (const secret of [...Object.values(secrets), detail.prompt]) expect(output).not.toContain(secret);
    expect(output).not.toContain(SESSION_ATTRIBUTE_KEYS.secretAccessKey);
  });

  test('logs carry tenant_id, user_id and answer_id, and none of them leaks into the next invocation', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail();

    // Act
    const { output } = await captureOutput(async () => {
      await handler(promptEvent(detail), lambdaContext());
      logger.info('after the invocation');
    });

    // Assess
    const lines = logLines(output);
    const completed = lines.find((line) => line.message === 'Answer completed');
    expect(completed).toMatchObject({
      tenant_id: detail.tenantId,
      user_id: detail.userId,
      answer_id: detail.answerId,
    });
    const after = lines.find((line) => line.message === 'after the invocation');
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('tenant_id');
    expect(after).not.toHaveProperty('user_id');
    expect(after).not.toHaveProperty('answer_id');
  });

  test('refuses an invalid prompt without asking for credentials, and tells its owner', async () => {
    // Prepare
    const { handler } = setup();
    const detail = promptDetail({ prompt: '' });

    // Act
    const result = await handler(promptEvent(detail), lambdaContext());

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock)).toEqual([
      expect.objectContaining({
        detailType: 'AnswerFailed',
        detail: {
          tenantId: detail.tenantId,
          userId: detail.userId,
          answerId: detail.answerId,
          reason: FAILURE_REASONS.invalidRequest,
        },
      }),
    ]);
    expect(result).toEqual({ outcome: 'refused', answerId: detail.answerId });
  });

  test('refuses an answer id owned by another user, publishing nothing and logging a security event', async () => {
    // Prepare
    const { handler } = setup();
    const victim = promptDetail();
    const detail = promptDetail({ tenantId: victim.tenantId, answerId: victim.answerId });

    // Act
    const { result, output } = await captureOutput(() => handler(promptEvent(detail), lambdaContext()));

    // Assess
    expect(result).toEqual({ outcome: 'refused' });
    expect(publishedEvents(eventBridgeMock)).toEqual([]);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(logLines(output).some((line) => line.security_event === 'ANSWER_OWNERSHIP_MISMATCH')).toBe(true);
  });

  test.each([
    ['a tenant id that would widen a policy', { tenantId: '*' }],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, on purpose
    ['a tenant id with a policy variable', { tenantId: '${aws:PrincipalTag/tenantId}' }],
    ['a user id that is not a Cognito sub', { userId: 'admin' }],
  ])('refuses %s without assuming any role or publishing', async (_name, overrides) => {
    // Prepare
    const { handler } = setup();
    const detail = { ...promptDetail(), ...overrides };

    // Act
    const result = await handler(promptEvent(detail), lambdaContext());

    // Assess
    expect(result).toEqual({ outcome: 'refused' });
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock)).toEqual([]);
  });

  test.each([
    ['from another source', { source: 'tenant-assistant.agent-invoker' }],
    ['of another detail-type', { 'detail-type': 'AnswerCompleted' }],
  ])('refuses an event %s', async (_name, overrides) => {
    // Prepare
    const { handler } = setup();
    const event = { ...promptEvent(), ...overrides } as PromptEvent;

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toEqual({ outcome: 'refused' });
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock)).toEqual([]);
  });

  test('fails with an error naming the missing variable when configuration is absent', async () => {
    // Prepare
    const event = promptEvent();

    // Act
    const { result } = await captureOutput(() =>
      deployedHandler(event, lambdaContext()).catch((error) => error),
    );

    // Assess
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe('AGENT_ID is not set');
  });
});
