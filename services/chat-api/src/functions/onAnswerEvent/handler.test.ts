import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  ANSWER_FAILURE_REASONS,
  MAX_ANSWER_LENGTH,
  MAX_CHUNK_LENGTH,
  MAX_CHUNKS_PER_ANSWER,
} from '@tenant-assistant/contracts/events';
import type { TenantId, UserId } from '@tenant-assistant/tenant-context';
import { captureOutput, eventBridgeEvent, lambdaContext } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { anAnswer, newUserId, OTHER_TENANT, TENANT } from '../../../test/support/answers';
import { silentLogger } from '../../../test/support/deps';
import { audibleLogger } from '../../../test/support/logger';
import { memoryAnswers, memoryConnections } from '../../../test/support/memory';
import { createWebSocketPusher } from '../../adapters/websocket-pusher';
import { type Answer, streamedText } from '../../answers/model';
import type { Connection, Logger } from '../../ports';
import { createHandler } from './handler';

const apiGateway = mockClient(ApiGatewayManagementApiClient);
const INVOKER = 'tenant-assistant.agent-invoker';
const NOW = new Date('2025-03-01T12:00:00.000Z');

beforeEach(() => {
  apiGateway.reset();
  apiGateway.on(PostToConnectionCommand).resolves({});
});

const connection = (connectionId: string, userId: UserId, tenantId: TenantId = TENANT): Connection => ({
  connectionId,
  userId,
  tenantId,
  connectedAt: NOW.toISOString(),
  expiresAt: 1_800_000_000,
});

/** An answer being streamed to its owner, who has two open tabs; another user of the tenant has one. */
const setup = async (
  options: { answer?: Partial<Answer>; logger?: Logger; extraConnections?: Connection[] } = {},
) => {
  const owner = newUserId();
  const neighbour = newUserId();
  const answer = anAnswer({ userId: owner, ...options.answer });
  const answers = memoryAnswers();
  await answers.repository.create(answer);
  const connections = memoryConnections([
    connection('owner-tab-1=', owner),
    connection('owner-tab-2=', owner),
    connection('neighbour=', neighbour),
    ...(options.extraConnections ?? []),
  ]);
  const handler = createHandler({
    answers: answers.repository,
    connections: connections.repository,
    pusher: createWebSocketPusher(
      () => new ApiGatewayManagementApiClient({ endpoint: 'https://ws.example.test/dev' }),
    ),
    clock: () => NOW,
    logger: options.logger ?? silentLogger(),
  });
  const stored = () => answers.stored(owner, answer.answerId);
  return { owner, neighbour, answer, answers, connections, handler, stored };
};

const chunk = (answer: Answer, seq: number, text: string, overrides: Record<string, unknown> = {}) =>
  eventBridgeEvent({
    detailType: 'AnswerChunk',
    source: INVOKER,
    detail: {
      tenantId: answer.tenantId,
      userId: answer.userId,
      answerId: answer.answerId,
      seq,
      text,
      ...overrides,
    },
  });
const completed = (answer: Answer, text: string) =>
  eventBridgeEvent({
    detailType: 'AnswerCompleted',
    source: INVOKER,
    detail: { tenantId: answer.tenantId, userId: answer.userId, answerId: answer.answerId, text },
  });
const failed = (answer: Answer, reason: string) =>
  eventBridgeEvent({
    detailType: 'AnswerFailed',
    source: INVOKER,
    detail: { tenantId: answer.tenantId, userId: answer.userId, answerId: answer.answerId, reason },
  });

/** Messages posted through the management API, by connection. */
const pushes = () =>
  apiGateway.commandCalls(PostToConnectionCommand).map((call) => ({
    connectionId: call.args[0].input.ConnectionId,
    message: JSON.parse(Buffer.from(call.args[0].input.Data as Uint8Array).toString('utf8')) as Record<
      string,
      unknown
    >,
  }));

describe('onAnswerEvent handler', () => {
  it("applies a chunk and pushes it to the owner's connections only", async () => {
    // Prepare
    const { handler, answer, stored } = await setup();

    // Act
    const outcome = await handler(chunk(answer, 0, 'Your order '), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: true, push: { delivered: 2, removed: 0, failed: 0 } });
    expect(stored()).toMatchObject({ status: 'STREAMING', chunks: { 0: 'Your order ' } });
    const message = { type: 'answer.chunk', answerId: answer.answerId, seq: 0, delta: 'Your order ' };
    expect(pushes()).toEqual([
      { connectionId: 'owner-tab-1=', message },
      { connectionId: 'owner-tab-2=', message },
    ]);
  });

  it('never pushes to a connection of the same user opened under another tenant', async () => {
    // Prepare
    const owner = newUserId();
    const { handler, answer } = await setup({
      answer: { userId: owner },
      extraConnections: [connection('other-tenant=', owner, OTHER_TENANT)],
    });

    // Act
    await handler(chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(pushes().map((push) => push.connectionId)).not.toContain('other-tenant=');
  });

  it('stores duplicate and out-of-order chunks by seq and pushes each as it arrives, for the client to order', async () => {
    // Prepare
    const { handler, answer, stored } = await setup();
    const arrivals: [number, string][] = [
      [2, 'is '],
      [0, 'The window '],
      [0, 'The window '],
      [3, '30 days.'],
      [1, 'for returns '],
    ];

    // Act
    for (const [seq, text] of arrivals) await handler(chunk(answer, seq, text), lambdaContext());

    // Assess
    expect(stored() && streamedText(stored()?.chunks ?? {})).toBe('The window for returns is 30 days.');
    const tab1 = pushes()
      .filter((push) => push.connectionId === 'owner-tab-1=')
      .map((push) => [push.message.seq, push.message.delta]);
    expect(tab1).toEqual(arrivals);
  });

  it('stores every chunk delivered concurrently, each with one write and no retry', async () => {
    // Prepare
    const { handler, answer, stored, answers } = await setup();
    const texts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const events = texts
      .flatMap((text, seq) => [chunk(answer, seq, text), chunk(answer, seq, text)])
      .reverse();

    // Act
    await Promise.all(events.map((event) => handler(event, lambdaContext())));

    // Assess
    expect(streamedText(stored()?.chunks ?? {})).toBe('abcdefgh');
    expect(answers.calls).toMatchObject({ saveChunk: events.length, get: 0 });
  });

  it('applies completion once and ignores chunks that come after it', async () => {
    // Prepare
    const { handler, answer, stored } = await setup();
    await handler(chunk(answer, 0, 'Partial'), lambdaContext());
    apiGateway.resetHistory();

    // Act
    const first = await handler(completed(answer, 'Partial and complete.'), lambdaContext());
    const again = await handler(completed(answer, 'Something else'), lambdaContext());
    const late = await handler(chunk(answer, 1, ' late'), lambdaContext());

    // Assess
    expect(first).toEqual({ applied: true, push: { delivered: 2, removed: 0, failed: 0 } });
    expect(again).toEqual({ applied: false, reason: 'final' });
    expect(late).toEqual({ applied: false, reason: 'final' });
    expect(stored()).toMatchObject({
      status: 'COMPLETED',
      text: 'Partial and complete.',
      completedAt: NOW.toISOString(),
    });
    expect(pushes().map((push) => push.message)).toEqual([
      { type: 'answer.completed', answerId: answer.answerId, text: 'Partial and complete.' },
      { type: 'answer.completed', answerId: answer.answerId, text: 'Partial and complete.' },
    ]);
  });

  it('marks the answer FAILED with the reason and pushes it', async () => {
    // Prepare
    const { handler, answer, stored } = await setup();

    // Act
    const outcome = await handler(failed(answer, ANSWER_FAILURE_REASONS.timeout), lambdaContext());
    const afterwards = await handler(completed(answer, 'too late'), lambdaContext());

    // Assess
    expect(outcome).toMatchObject({ applied: true });
    expect(afterwards).toEqual({ applied: false, reason: 'final' });
    expect(stored()).toMatchObject({
      status: 'FAILED',
      reason: ANSWER_FAILURE_REASONS.timeout,
    });
    expect(pushes()[0]?.message).toEqual({
      type: 'answer.failed',
      answerId: answer.answerId,
      reason: ANSWER_FAILURE_REASONS.timeout,
    });
  });

  it('removes connections that are gone and still reaches the others', async () => {
    // Prepare
    const { handler, answer, connections } = await setup();
    apiGateway
      .on(PostToConnectionCommand, { ConnectionId: 'owner-tab-1=' })
      .rejects(new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } }));

    // Act
    const outcome = await handler(chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: true, push: { delivered: 1, removed: 1, failed: 0 } });
    expect([...connections.items.keys()]).toEqual(['owner-tab-2=', 'neighbour=']);
  });

  it('treats a bare 410 from the management API (serverless-offline) as gone', async () => {
    // Prepare
    const { handler, answer, connections } = await setup();
    const bare410 = Object.assign(new Error('UnknownError'), { $metadata: { httpStatusCode: 410 } });
    apiGateway.on(PostToConnectionCommand, { ConnectionId: 'owner-tab-2=' }).rejects(bare410);

    // Act
    await handler(chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(connections.items.has('owner-tab-2=')).toBe(false);
  });

  it('keeps a connection whose push failed for another reason, and still applies the event', async () => {
    // Prepare
    const { handler, answer, connections, stored } = await setup();
    apiGateway.on(PostToConnectionCommand, { ConnectionId: 'owner-tab-1=' }).rejects(new Error('throttled'));

    // Act
    const outcome = await handler(chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: true, push: { delivered: 1, removed: 0, failed: 1 } });
    expect(connections.items.has('owner-tab-1=')).toBe(true);
    expect(stored()?.chunks).toEqual({ 0: 'Hi' });
  });

  it('ignores an event for an answer that does not exist', async () => {
    // Prepare
    const { handler, owner } = await setup();
    const unknown = anAnswer({ userId: owner });

    // Act
    const outcome = await handler(chunk(unknown, 0, 'Hi'), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: false, reason: 'missing' });
    expect(pushes()).toEqual([]);
  });

  it('fails the invocation (so it is retried) when the answers table fails', async () => {
    // Prepare
    const { handler, answer, answers } = await setup();
    answers.repository.saveChunk = async () => {
      throw new Error('DynamoDB unavailable');
    };

    // Act
    const invocation = handler(chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    await expect(invocation).rejects.toThrow('DynamoDB unavailable');
  });

  describe('refusals', () => {
    it('refuses an event whose answerId is not owned by its userId and logs a security event', async () => {
      // Prepare
      const { handler, answer, neighbour, stored } = await setup({ logger: audibleLogger() });
      const forged = chunk(answer, 0, 'injected', { userId: neighbour });

      // Act
      const { result, output } = await captureOutput(() => handler(forged, lambdaContext()));

      // Assess
      expect(result).toEqual({ refused: true, code: 'INVALID_EVENT' });
      expect(output).toContain('ANSWER_OWNERSHIP_MISMATCH');
      expect(output).not.toContain('injected');
      expect(stored()).toMatchObject({ status: 'PENDING', text: '' });
      expect(pushes()).toEqual([]);
    });

    it("refuses an event for another tenant's answer and logs a security event", async () => {
      // Prepare
      const { handler, answer, stored } = await setup({ logger: audibleLogger() });
      const crossTenant = completed({ ...answer, tenantId: OTHER_TENANT }, 'injected');

      // Act
      const { result, output } = await captureOutput(() => handler(crossTenant, lambdaContext()));

      // Assess
      expect(result).toEqual({ refused: true, code: 'ANSWER_TENANT_MISMATCH' });
      expect(output).toContain('ANSWER_TENANT_MISMATCH');
      expect(stored()).toMatchObject({ status: 'PENDING', text: '' });
      expect(pushes()).toEqual([]);
    });

    it("refuses a chunk for another tenant's answer: nothing stored, nothing pushed, a security event", async () => {
      // Prepare
      const { handler, answer, stored } = await setup({ logger: audibleLogger() });
      const crossTenant = chunk({ ...answer, tenantId: OTHER_TENANT }, 0, 'injected');

      // Act
      const { result, output } = await captureOutput(() => handler(crossTenant, lambdaContext()));

      // Assess
      expect(result).toEqual({ refused: true, code: 'ANSWER_TENANT_MISMATCH' });
      expect(output).toContain('ANSWER_TENANT_MISMATCH');
      expect(stored()).toMatchObject({ status: 'PENDING', chunks: {} });
      expect(pushes()).toEqual([]);
    });

    it.each([
      [
        'a chunk longer than the contract allows',
        (a: Answer) => chunk(a, 0, 'x'.repeat(MAX_CHUNK_LENGTH + 1)),
      ],
      [
        'a chunk numbered past the chunks an answer may have',
        (a: Answer) => chunk(a, MAX_CHUNKS_PER_ANSWER, 'x'),
      ],
      [
        'a completion longer than the contract allows',
        (a: Answer) => completed(a, 'x'.repeat(MAX_ANSWER_LENGTH + 1)),
      ],
      [
        'a failure whose reason is free text',
        (a: Answer) => failed(a, 'Session expired: sign in at https://evil.example'),
      ],
    ])('refuses %s and changes nothing', async (_case, build) => {
      // Prepare
      const { handler, answer, stored } = await setup();

      // Act
      const outcome = await handler(build(answer), lambdaContext());

      // Assess
      expect(outcome).toEqual({ refused: true, code: 'INVALID_EVENT' });
      expect(stored()).toMatchObject({ status: 'PENDING', text: '' });
      expect(pushes()).toEqual([]);
    });

    it.each([
      ['comes from another source', { source: 'tenant-assistant.chat-api' }],
      ['is not an answer event', { detailType: 'PromptSubmitted' }],
      ['has an unknown detail-type', { detailType: 'AnswerDeleted' }],
    ])('refuses an event that %s', async (_case, change) => {
      // Prepare
      const { handler, answer, stored } = await setup();
      const event = { ...chunk(answer, 0, 'x') };
      if ('source' in change) event.source = change.source;
      if ('detailType' in change) event['detail-type'] = change.detailType;

      // Act
      const outcome = await handler(event, lambdaContext());

      // Assess
      expect(outcome).toEqual({ refused: true, code: 'INVALID_EVENT' });
      expect(stored()?.status).toBe('PENDING');
      expect(pushes()).toEqual([]);
    });

    it.each([
      ['a negative seq', { seq: -1 }],
      ['a fractional seq', { seq: 1.5 }],
      ['a tenantId that could widen a policy', { tenantId: '*' }],
      ['no text', { text: undefined }],
      ['a malformed answerId', { answerId: 'abc' }],
    ])('refuses a chunk with %s', async (_case, overrides) => {
      // Prepare
      const { handler, answer, stored } = await setup();

      // Act
      const outcome = await handler(chunk(answer, 0, 'x', overrides), lambdaContext());

      // Assess
      expect(outcome).toEqual({ refused: true, code: 'INVALID_EVENT' });
      expect(stored()?.status).toBe('PENDING');
    });
  });
});
