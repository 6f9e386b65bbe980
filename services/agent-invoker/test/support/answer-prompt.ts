import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { parseDetail } from '@tenant-assistant/contracts/events';
import { ScopedCredentialsError, tenantContext } from '@tenant-assistant/tenant-context';
import { createLogger } from '@tenant-assistant/tenant-context/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { type AnswerPorts, answerPrompt } from '../../src/domain/answer-prompt';
import { agentStream, fakeClock, fakeSleep, promptDetail, type StreamStep, testConfig } from './fakes';

/** The agent and the bus, mocked for every test of answerPrompt ({@link resetAnswerMocks} before each). */
export const agentMock = mockClient(BedrockAgentRuntimeClient);
export const eventBridgeMock = mockClient(EventBridgeClient);

/** Clears both mocks; the bus then accepts every entry. */
export const resetAnswerMocks = () => {
  agentMock.reset();
  eventBridgeMock.reset();
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
};

export const credentials = Object.freeze({
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0000000000',
  expiration: new Date(Date.now() + 3_600_000),
});

export const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });

export const refused = () =>
  new ScopedCredentialsError(
    'AssumeRole for tenant-scoped credentials failed',
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8002'), { code: 'ECONNREFUSED' }),
  );

/** answerPrompt's ports as fakes (a fake clock that waiting moves on), and a run of one prompt. */
export const setup = (
  options: {
    credentialsFail?: Error;
    credentialsFailTimes?: number;
    deadlineInMs?: number;
    member?: boolean;
    meter?: AnswerPorts['meter'];
    metrics?: AnswerPorts['metrics'];
  } = {},
) => {
  const clock = fakeClock();
  const fake = fakeSleep();
  const { delays } = fake;
  // Waiting takes time: the fake clock moves on by what was waited.
  const sleep = async (ms: number) => {
    await fake.sleep(ms);
    clock.advance(ms);
  };
  const isMember = jest.fn(async () => options.member ?? true);
  let credentialCalls = 0;
  const getCredentials = jest.fn(async () => {
    credentialCalls += 1;
    const failing = credentialCalls <= (options.credentialsFailTimes ?? Number.POSITIVE_INFINITY);
    if (options.credentialsFail && failing) throw options.credentialsFail;
    return credentials;
  });
  const ports: AnswerPorts = {
    membership: { isMember },
    credentials: { get: getCredentials },
    agent: new BedrockAgentRuntimeClient({ region: 'us-east-1' }),
    eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
    settings: testConfig,
    logger: createLogger({ serviceName: 'agent-invoker-test', logLevel: 'SILENT' }),
    clock: clock.now,
    sleep,
    random: () => 0.5,
    ...(options.meter ? { meter: options.meter } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  const detail = parseDetail('PromptSubmitted', promptDetail());
  const tenant = tenantContext(detail);
  const deadline = clock.now() + (options.deadlineInMs ?? 20_000);
  const run = (failureDeadline?: number) =>
    answerPrompt(ports, tenant, detail, {
      deadline,
      ...(failureDeadline === undefined ? {} : { failureDeadline }),
    });
  return { clock, delays, getCredentials, isMember, detail, tenant, deadline, run };
};

/** Each InvokeAgent call answers with the next script (the last one repeats). */
export const agentAnswers = (
  clock: { advance: (ms: number) => void },
  ...scripts: (StreamStep[] | Error)[]
) => {
  let call = 0;
  agentMock.on(InvokeAgentCommand).callsFake(async () => {
    const script = scripts[Math.min(call, scripts.length - 1)];
    call += 1;
    if (script instanceof Error) throw script;
    return agentStream(script ?? [], clock);
  });
};
