import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockAgentRuntimeClient, InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import {
  AgentModelError,
  type AgentTurn,
  createOpenAiCompatibleModel,
  FAILURE_ANSWER,
  ORDER_ACTION_GROUP,
  phraseAnswer,
  REPROMPT_ANSWER,
  routeIntent,
  startLocalBedrockAgent,
} from '../src';
import { localClient } from './fixtures';

describe('routeIntent', () => {
  it.each<[string, string, Record<string, string> | null]>([
    ['What is your return policy?', 'getReturnPolicy', {}],
    ['Can I return a jacket?', 'getReturnPolicy', {}],
    ['How do refunds work', 'getReturnPolicy', {}],
    ['Which orders do I have?', 'listOrders', {}],
    ['show my orders', 'listOrders', {}],
    ['Which of my orders were delivered?', 'listOrders', { status: 'delivered' }],
    ['my canceled orders', 'listOrders', { status: 'cancelled' }],
    ['pending orders please', 'listOrders', { status: 'pending' }],
    ['Where is ord-1001?', 'getOrder', { orderId: 'ord-1001' }],
    ['status of order 123.', 'getOrder', { orderId: '123' }],
    ['order #A-77', 'getOrder', { orderId: 'A-77' }],
    ['details for o-1001 please', 'getOrder', { orderId: 'o-1001' }],
    ['hello there', 'none', null],
    ['shipped', 'none', null],
  ])('routes %j to %s', (text, fn, parameters) => {
    const intent = routeIntent(text);

    expect(intent.function).toBe(fn);
    if (parameters) expect('parameters' in intent ? intent.parameters : undefined).toEqual(parameters);
  });

  it('reads a bare status as a follow-up to a list of orders', () => {
    const history = [
      {
        user: 'my orders',
        assistant: '…',
        calls: [{ actionGroup: 'orders', function: 'listOrders', parameters: {} }],
      },
    ];

    expect(routeIntent('only the shipped ones', history)).toEqual({
      function: 'listOrders',
      parameters: { status: 'shipped' },
    });
  });
});

describe('phraseAnswer', () => {
  const call = (fn: string, parameters: Record<string, string> = {}) => ({
    actionGroup: 'orders',
    function: fn,
    parameters,
  });
  const ok = (body: unknown) => ({
    body: typeof body === 'string' ? body : JSON.stringify(body),
    state: 'OK' as const,
  });

  it.each<[string, ReturnType<typeof call>, ReturnType<typeof ok>, string]>([
    [
      'the days of a JSON policy',
      call('getReturnPolicy'),
      ok({ returnPolicyDays: 30 }),
      'Our return policy allows returns within 30 days of delivery.',
    ],
    [
      'one day',
      call('getReturnPolicy'),
      ok({ returnPolicyDays: 1 }),
      'Our return policy allows returns within 1 day of delivery.',
    ],
    [
      'a plain-text policy',
      call('getReturnPolicy'),
      ok('Returns within two weeks.'),
      'Here is our return policy: Returns within two weeks.',
    ],
    ['no orders', call('listOrders'), ok({ count: 0, orders: [] }), "I couldn't find any orders for you."],
    [
      'no orders with a status',
      call('listOrders', { status: 'shipped' }),
      ok({ orders: [] }),
      'You have no shipped orders.',
    ],
    [
      'an array of orders',
      call('listOrders'),
      ok([{ orderId: 'a1', status: 'PENDING' }]),
      'You have 1 order: a1 (pending).',
    ],
    [
      'a flat order',
      call('getOrder', { orderId: 'x1' }),
      ok({ orderId: 'x1', status: 'SHIPPED' }),
      'Order x1 is shipped.',
    ],
    ['an unexpected body', call('getOrder', { orderId: 'x1' }), ok({ weird: true }), FAILURE_ANSWER],
  ])('phrases %s', (_name, c, result, expected) => {
    expect(phraseAnswer(c, result)).toBe(expected);
  });

  it('answers FAILURE and REPROMPT safely', () => {
    expect(
      phraseAnswer(call('getReturnPolicy'), {
        body: '{"error":"X","message":"secret detail"}',
        state: 'FAILURE',
      }),
    ).toBe(FAILURE_ANSWER);
    expect(phraseAnswer(call('getOrder'), { body: '{}', state: 'REPROMPT' })).toBe(REPROMPT_ANSWER);
  });
});

/** A fake OpenAI-compatible endpoint: answers scripted replies and records the requests. */
const startFakeChatEndpoint = async (replies: Array<{ status?: number; body: unknown }>) => {
  const requests: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(raw) });
      const reply = replies.shift() ?? { status: 500, body: { error: 'no more replies' } };
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

type ChatRequest = {
  model?: string;
  tools?: Array<{ function: { name: string } }>;
  messages?: Array<{ role: string; content?: string | null; tool_call_id?: string }>;
};
const chatRequest = (requests: Array<{ body: Record<string, unknown> }>, index: number) =>
  (requests[index]?.body ?? {}) as ChatRequest;

const toolCall = (name: string, args: unknown, id = 'call_abc') => ({
  choices: [
    {
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
      },
    },
  ],
});
const textReply = (content: string) => ({ choices: [{ message: { role: 'assistant', content } }] });

describe('createOpenAiCompatibleModel', () => {
  const turn = (overrides: Partial<AgentTurn> = {}): AgentTurn => ({
    inputText: 'Which orders shipped?',
    history: [],
    actionGroups: [ORDER_ACTION_GROUP],
    steps: [],
    promptSessionAttributes: {},
    ...overrides,
  });

  it('drives the Bedrock stand-in with tool calls, end to end with the real SDK client', async () => {
    // Prepare
    const endpoint = await startFakeChatEndpoint([
      { body: toolCall('listOrders', { status: 'shipped' }) },
      { body: textReply('You have one shipped order, ord-1001.') },
    ]);
    const calls: string[] = [];
    const agent = await startLocalBedrockAgent({
      model: createOpenAiCompatibleModel({
        baseUrl: endpoint.baseUrl,
        model: 'local-llm',
        apiKey: 'sk-local',
      }),
      invokeActionGroup: async (event) => {
        calls.push(`${event.function}(${JSON.stringify(event.parameters)})`);
        return {
          messageVersion: '1.0',
          response: {
            actionGroup: event.actionGroup,
            function: event.function,
            functionResponse: {
              responseBody: {
                TEXT: { body: '{"count":1,"orders":[{"orderId":"ord-1001","status":"SHIPPED"}]}' },
              },
            },
          },
        };
      },
    });
    const client = localClient(BedrockAgentRuntimeClient, agent.url, { once: true });

    try {
      // Act
      const response = await client.send(
        new InvokeAgentCommand({
          agentId: 'LOCALAGENT',
          agentAliasId: 'LOCALALIAS',
          sessionId: 'openai-session',
          inputText: 'Which orders shipped?',
          sessionState: { sessionAttributes: { tenantId: 'tenant1', secret: 'never-to-the-model' } },
        }),
      );
      let text = '';
      for await (const part of response.completion ?? []) text += new TextDecoder().decode(part.chunk?.bytes);

      // Assess
      expect(text).toBe('You have one shipped order, ord-1001.');
      expect(calls).toEqual(['listOrders([{"name":"status","type":"string","value":"shipped"}])']);
      expect(endpoint.requests).toHaveLength(2);
      const first = chatRequest(endpoint.requests, 0);
      const second = chatRequest(endpoint.requests, 1);
      expect(endpoint.requests[0]?.headers.authorization).toBe('Bearer sk-local');
      expect(first.model).toBe('local-llm');
      expect(first.tools?.map((t) => t.function.name)).toEqual(['getReturnPolicy', 'listOrders', 'getOrder']);
      expect(second.messages?.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
      expect(second.messages?.[3]?.tool_call_id).toBe('call_abc');
      expect(JSON.stringify(endpoint.requests)).not.toContain('never-to-the-model');
    } finally {
      client.destroy();
      await agent.close();
      await endpoint.close();
    }
  });

  it('sends earlier turns of the session as history', async () => {
    const endpoint = await startFakeChatEndpoint([{ body: textReply('Sure.') }]);
    try {
      const model = createOpenAiCompatibleModel({ baseUrl: endpoint.baseUrl, model: 'm' });

      await model.next(turn({ history: [{ user: 'hi', assistant: 'hello', calls: [] }] }));

      expect(chatRequest(endpoint.requests, 0).messages?.slice(1)).toEqual([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'Which orders shipped?' },
      ]);
    } finally {
      await endpoint.close();
    }
  });

  it.each<[string, { status?: number; body: unknown }]>([
    ['an HTTP error', { status: 500, body: { error: 'boom' } }],
    ['an unknown tool', { body: toolCall('dropTables', {}) }],
    [
      'tool arguments that are not JSON',
      {
        body: {
          choices: [
            {
              message: {
                tool_calls: [
                  { id: 'c', type: 'function', function: { name: 'getOrder', arguments: '{nope' } },
                ],
              },
            },
          ],
        },
      },
    ],
    ['an empty message', { body: { choices: [{ message: { content: '' } }] } }],
  ])('raises AgentModelError for %s', async (_name, reply) => {
    const endpoint = await startFakeChatEndpoint([reply]);
    try {
      const model = createOpenAiCompatibleModel({ baseUrl: endpoint.baseUrl, model: 'm' });

      await expect(model.next(turn())).rejects.toBeInstanceOf(AgentModelError);
    } finally {
      await endpoint.close();
    }
  });

  it('raises AgentModelError when the endpoint cannot be reached', async () => {
    const endpoint = await startFakeChatEndpoint([]);
    await endpoint.close();
    const model = createOpenAiCompatibleModel({ baseUrl: endpoint.baseUrl, model: 'm', timeoutMs: 2000 });

    await expect(model.next(turn())).rejects.toBeInstanceOf(AgentModelError);
  });
});
