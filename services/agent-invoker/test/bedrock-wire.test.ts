import { once } from 'node:events';
import { createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { parseDetail } from '@tenant-assistant/contracts/events';
import { tenantContext } from '@tenant-assistant/tenant-context';
import { agentAnswerText, invokeAgentInput } from '../src/domain/agent';
import { isRetryableError } from '../src/domain/failures';
import { promptDetail } from './support/fakes';

/**
 * The real Bedrock Agent Runtime client against a loopback HTTP/2 server speaking the
 * InvokeAgent event-stream wire format: checks what the client sends and how agentAnswerText
 * reads real frames (chunks, and exceptions inside the stream).
 */

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const string = (value: string) => ({ type: 'string' as const, value });
const frame = (headers: MessageHeaders, body: unknown) =>
  codec.encode({ headers, body: fromUtf8(JSON.stringify(body)) });
const chunk = (text: string) =>
  frame(
    {
      ':message-type': string('event'),
      ':event-type': string('chunk'),
      ':content-type': string('application/json'),
    },
    { bytes: Buffer.from(text).toString('base64') },
  );
const exception = (type: string, message: string) =>
  frame(
    {
      ':message-type': string('exception'),
      ':exception-type': string(type),
      ':content-type': string('application/json'),
    },
    { message },
  );

type Reply = (stream: ServerHttp2Stream) => void;
const streamed =
  (...frames: Uint8Array[]): Reply =>
  (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    for (const f of frames) stream.write(f);
    stream.end();
  };

let server: Http2Server;
let client: BedrockAgentRuntimeClient;
let reply: Reply = streamed();
const requests: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer();
  server.on('stream', (stream, headers) => {
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.on('end', () => {
      requests.push({ headers, body: JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') });
      reply(stream);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  client = new BedrockAgentRuntimeClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

const collect = async (texts: AsyncIterable<string>) => {
  const result: string[] = [];
  for await (const text of texts) result.push(text);
  return result;
};

const request = () => {
  const detail = parseDetail('PromptSubmitted', promptDetail());
  const credentials = {
    accessKeyId: 'ASIAEXAMPLEKEY000001',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0000000000',
    expiration: new Date('2026-01-15T11:00:00.000Z'),
  };
  const settings = { agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', streamFinalResponse: true };
  return {
    detail,
    input: invokeAgentInput(
      settings,
      tenantContext(detail),
      detail,
      credentials,
      new Date('2026-01-15T10:00:00Z'),
    ),
  };
};

describe('agentAnswerText over the InvokeAgent wire format', () => {
  test('sends the session, the prompt and the session attributes, and reads streamed chunks', async () => {
    // Prepare
    reply = streamed(chunk('Your return window '), chunk('is 30 days.'));
    const { detail, input } = request();

    // Act
    const texts = await collect(agentAnswerText(client, input, new AbortController().signal));

    // Assess
    expect(texts).toEqual(['Your return window ', 'is 30 days.']);
    const [sent] = requests;
    expect(sent?.headers[':path']).toBe(
      `/agents/AGENT12345/agentAliases/ALIAS12345/sessions/${encodeURIComponent(`${detail.userId}.${detail.conversationId}`)}/text`,
    );
    expect(sent?.body).toEqual({
      inputText: detail.prompt,
      enableTrace: true,
      sessionState: {
        sessionAttributes: input.sessionState?.sessionAttributes,
        promptSessionAttributes: { currentDate: '2026-01-15' },
      },
      streamingConfigurations: { streamFinalResponse: true },
    });
  });

  test('throws a throttling exception sent inside the stream, as a retryable error', async () => {
    // Prepare
    reply = streamed(exception('throttlingException', 'Your request rate is too high'));
    const { input } = request();

    // Act
    const error = await collect(agentAnswerText(client, input, new AbortController().signal)).catch((e) => e);

    // Assess
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(isRetryableError(error)).toBe(true);
  });

  test('throws a validation exception sent inside the stream, as a permanent error', async () => {
    // Prepare
    reply = streamed(chunk('Par'), exception('validationException', 'Invalid input'));
    const { input } = request();
    const texts: string[] = [];

    // Act
    const error = await (async () => {
      for await (const text of agentAnswerText(client, input, new AbortController().signal)) texts.push(text);
    })().catch((e) => e);

    // Assess
    expect(texts).toEqual(['Par']);
    expect(error).toMatchObject({ name: 'ValidationException' });
    expect(isRetryableError(error)).toBe(false);
  });

  test('throws an HTTP 429 before the stream starts, as a retryable error', async () => {
    // Prepare
    reply = (stream) => {
      stream.respond({
        ':status': 429,
        'content-type': 'application/json',
        'x-amzn-errortype': 'ThrottlingException',
      });
      stream.end(JSON.stringify({ message: 'Rate exceeded' }));
    };
    const { input } = request();

    // Act
    const error = await collect(agentAnswerText(client, input, new AbortController().signal)).catch((e) => e);

    // Assess
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(isRetryableError(error)).toBe(true);
  });
});
