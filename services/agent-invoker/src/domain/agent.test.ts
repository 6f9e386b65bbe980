import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { parseDetail } from '@tenant-assistant/contracts/events';
import { tenantContext } from '@tenant-assistant/tenant-context';
import { mockClient } from 'aws-sdk-client-mock';
import { agentStream, invokeAgentRequest, promptDetail } from '../../test/support/fakes';
import { DeadlineExceededError, UnexpectedAgentResponseError } from '../errors';
import { addTraceUsage, agentAnswerText, agentSessionId, invokeAgentInput } from './agent';

const agentMock = mockClient(BedrockAgentRuntimeClient);
const client = new BedrockAgentRuntimeClient({ region: 'us-east-1' });
const settings = { agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', streamFinalResponse: true };
const credentials = Object.freeze({
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0000000000',
  expiration: new Date('2026-01-15T11:00:00.000Z'),
});

const collect = async (texts: AsyncIterable<string>) => {
  const result: string[] = [];
  for await (const text of texts) result.push(text);
  return result;
};

beforeEach(() => agentMock.reset());

describe('invokeAgentInput', () => {
  test('builds the exact request: session of the user and conversation, identity only in sessionAttributes', () => {
    // Prepare
    const detail = parseDetail('PromptSubmitted', promptDetail());
    const tenant = tenantContext(detail);

    // Act
    const input = invokeAgentInput(settings, tenant, detail, credentials, new Date('2026-01-15T10:00:01Z'));

    // Assess
    expect(input).toEqual(
      invokeAgentRequest(
        { agentId: 'AGENT12345', agentAliasId: 'ALIAS12345' },
        detail,
        credentials,
        '2026-01-15T11:00:00.000Z',
      ),
    );
  });

  test('puts nothing about identity or credentials where the model can see it', () => {
    // Prepare
    const detail = parseDetail('PromptSubmitted', promptDetail());
    const tenant = tenantContext(detail);

    // Act
    const input = invokeAgentInput(settings, tenant, detail, credentials, new Date());

    // Assess
    const visibleToModel = JSON.stringify([input.inputText, input.sessionState?.promptSessionAttributes]);
    for (const value of [detail.tenantId, detail.userId, ...Object.values(credentials).map(String)]) {
      expect(visibleToModel).not.toContain(value);
    }
  });

  test('turns streaming of the final response off when the stage says so', () => {
    // Prepare
    const detail = parseDetail('PromptSubmitted', promptDetail());

    // Act
    const input = invokeAgentInput(
      { ...settings, streamFinalResponse: false },
      tenantContext(detail),
      detail,
      credentials,
      new Date(),
    );

    // Assess
    expect(input.streamingConfigurations).toEqual({ streamFinalResponse: false });
  });
});

describe('the agent alias of a tier', () => {
  test.each([
    ['premium', 'PREMIUM123'],
    ['enterprise', 'PREMIUM123'],
    ['basic', 'ALIAS12345'],
    [undefined, 'ALIAS12345'],
  ] as const)('serves a %s tenant from %s', (tier, alias) => {
    // Prepare
    const detail = parseDetail('PromptSubmitted', { ...promptDetail(), ...(tier ? { tier } : {}) });

    // Act
    const input = invokeAgentInput(
      { ...settings, agentAliasIds: { premium: 'PREMIUM123' } },
      tenantContext(detail),
      detail,
      credentials,
      new Date(),
    );

    // Assess
    expect(input.agentAliasId).toBe(alias);
  });
});

describe('addTraceUsage', () => {
  test('adds the usage of every model invocation, whatever step reports it', () => {
    // Prepare
    const usage = { inputTokens: 0, outputTokens: 0 };
    const output = (inputTokens: number, outputTokens: number) => ({
      modelInvocationOutput: { traceId: 't', metadata: { usage: { inputTokens, outputTokens } } },
    });

    // Act
    addTraceUsage(usage, { trace: { preProcessingTrace: output(300, 20) } });
    addTraceUsage(usage, { trace: { orchestrationTrace: output(1200, 45) } });
    addTraceUsage(usage, { trace: { orchestrationTrace: { observation: { type: 'FINISH' } } } });
    addTraceUsage(usage, { trace: { postProcessingTrace: output(200, 30) } });

    // Assess
    expect(usage).toEqual({ inputTokens: 1700, outputTokens: 95 });
  });

  test('ignores traces without usage and values that are not counts', () => {
    // Prepare
    const usage = { inputTokens: 0, outputTokens: 0 };

    // Act
    for (const trace of [
      undefined,
      { trace: null },
      { trace: { orchestrationTrace: { modelInvocationOutput: { metadata: {} } } } },
      {
        trace: {
          orchestrationTrace: {
            modelInvocationOutput: { metadata: { usage: { inputTokens: '9', outputTokens: -4 } } },
          },
        },
      },
    ])
      addTraceUsage(usage, trace);

    // Assess
    expect(usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });
});

describe('agentSessionId', () => {
  test('gives two users of the same conversation id different sessions, within 100 characters', () => {
    // Prepare
    const conversationId = 'c'.repeat(63);
    const first = tenantContext({ tenantId: 'tenant1', userId: '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c' });
    const second = tenantContext({ tenantId: 'tenant1', userId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' });

    // Act
    const sessions = [agentSessionId(first, conversationId), agentSessionId(second, conversationId)];

    // Assess
    expect(sessions[0]).not.toBe(sessions[1]);
    expect(Math.max(...sessions.map((s) => s.length))).toBeLessThanOrEqual(100);
  });
});

describe('agentAnswerText', () => {
  const input = { agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', sessionId: 's', inputText: 'hi' };

  test('yields the text of each chunk and skips traces and files', async () => {
    // Prepare
    agentMock
      .on(InvokeAgentCommand)
      .resolves(
        agentStream([
          'Your ',
          { event: { trace: { sessionId: 's' } } },
          'order ',
          { event: { files: { files: [] } } },
          'shipped.',
        ]),
      );

    // Act
    const texts = await collect(agentAnswerText(client, input, new AbortController().signal));

    // Assess
    expect(texts).toEqual(['Your ', 'order ', 'shipped.']);
  });

  test('sums the token usage the trace events report while yielding the text', async () => {
    // Prepare
    const usageTrace = (inputTokens: number, outputTokens: number) => ({
      event: {
        trace: {
          trace: {
            orchestrationTrace: {
              modelInvocationOutput: { metadata: { usage: { inputTokens, outputTokens } } },
            },
          },
        },
      },
    });
    agentMock
      .on(InvokeAgentCommand)
      .resolves(agentStream([usageTrace(1100, 30), usageTrace(1250, 18), 'Done.']));
    const usage = { inputTokens: 0, outputTokens: 0 };

    // Act
    const texts = await collect(agentAnswerText(client, input, new AbortController().signal, usage));

    // Assess
    expect(texts).toEqual(['Done.']);
    expect(usage).toEqual({ inputTokens: 2350, outputTokens: 48 });
  });

  test('decodes a character split across two chunks', async () => {
    // Prepare
    const bytes = new TextEncoder().encode('Café');
    agentMock.on(InvokeAgentCommand).resolves({
      completion: (async function* () {
        yield { chunk: { bytes: bytes.slice(0, 4) } };
        yield { chunk: { bytes: bytes.slice(4) } };
      })(),
      contentType: 'application/json',
      sessionId: 's',
    });

    // Act
    const texts = await collect(agentAnswerText(client, input, new AbortController().signal));

    // Assess
    expect(texts.join('')).toBe('Café');
  });

  test('throws an exception event carried inside the stream', async () => {
    // Prepare
    const throttled = new ThrottlingException({ message: 'slow down', $metadata: {} });
    agentMock
      .on(InvokeAgentCommand)
      .resolves(agentStream(['Par', { event: { throttlingException: throttled } }]));

    // Act
    const reading = collect(agentAnswerText(client, input, new AbortController().signal));

    // Assess
    await expect(reading).rejects.toBe(throttled);
  });

  test('refuses a returnControl event (the action groups are Lambda-backed)', async () => {
    // Prepare
    agentMock
      .on(InvokeAgentCommand)
      .resolves(agentStream([{ event: { returnControl: { invocationId: 'i-1', invocationInputs: [] } } }]));

    // Act
    const reading = collect(agentAnswerText(client, input, new AbortController().signal));

    // Assess
    await expect(reading).rejects.toThrow(UnexpectedAgentResponseError);
  });

  test('refuses a response without a completion stream', async () => {
    // Prepare
    agentMock.on(InvokeAgentCommand).resolves({ completion: undefined, contentType: 'x', sessionId: 's' });

    // Act
    const reading = collect(agentAnswerText(client, input, new AbortController().signal));

    // Assess
    await expect(reading).rejects.toThrow(UnexpectedAgentResponseError);
  });

  test('stops a stalled stream when the deadline aborts', async () => {
    // Prepare
    const never = new Promise(() => {});
    agentMock.on(InvokeAgentCommand).resolves(agentStream(['Hel', { waitFor: never }]));
    const abort = new AbortController();
    const texts: string[] = [];

    // Act
    const reading = (async () => {
      for await (const text of agentAnswerText(client, input, abort.signal)) {
        texts.push(text);
        abort.abort();
      }
    })();

    // Assess
    await expect(reading).rejects.toThrow(DeadlineExceededError);
    expect(texts).toEqual(['Hel']);
  });

  test('does not call the agent once the deadline has passed', async () => {
    // Prepare
    const abort = new AbortController();
    abort.abort();
    agentMock.on(InvokeAgentCommand).resolves(agentStream(['never']));

    // Act
    const reading = collect(agentAnswerText(client, input, abort.signal));

    // Assess
    await expect(reading).rejects.toThrow(DeadlineExceededError);
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });
});
