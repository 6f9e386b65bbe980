import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { parseDetail } from '@tenant-assistant/contracts/events';
import { tenantContext } from '@tenant-assistant/tenant-context';
import { SESSION_ATTRIBUTE_KEYS } from '@tenant-assistant/tenant-context/credentials';
import { mockClient } from 'aws-sdk-client-mock';
import { agentStream, promptDetail } from '../../test/support/fakes';
import { DeadlineExceededError, UnexpectedAgentResponseError } from '../errors';
import { agentAnswerText, agentSessionId, invokeAgentInput } from './agent';

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
    expect(input).toEqual({
      agentId: 'AGENT12345',
      agentAliasId: 'ALIAS12345',
      sessionId: `${detail.userId}.${detail.conversationId}`,
      inputText: detail.prompt,
      enableTrace: false,
      sessionState: {
        sessionAttributes: {
          [SESSION_ATTRIBUTE_KEYS.tenantId]: detail.tenantId,
          [SESSION_ATTRIBUTE_KEYS.userId]: detail.userId,
          [SESSION_ATTRIBUTE_KEYS.accessKeyId]: credentials.accessKeyId,
          [SESSION_ATTRIBUTE_KEYS.secretAccessKey]: credentials.secretAccessKey,
          [SESSION_ATTRIBUTE_KEYS.sessionToken]: credentials.sessionToken,
          [SESSION_ATTRIBUTE_KEYS.expiration]: '2026-01-15T11:00:00.000Z',
        },
        promptSessionAttributes: { currentDate: '2026-01-15' },
      },
      streamingConfigurations: { streamFinalResponse: true },
    });
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
