import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { TenantId, UserId } from '@tenant-assistant/tenant-context';
import { eventBridgeEvent } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createWebSocketPusher } from '../../src/adapters/websocket-pusher';
import type { Answer } from '../../src/answers/model';
import { createHandler } from '../../src/functions/onAnswerEvent/handler';
import type { Connection, Logger } from '../../src/ports';
import { anAnswer, newUserId, TENANT } from './answers';
import { silentLogger } from './deps';
import { memoryAnswers, memoryConnections, recordingLimiter } from './memory';

/** The onAnswerEvent handler's test set-up: an answer, its owner's and a neighbour's connections, the agent-invoker's events and what was pushed. */
export const apiGateway = mockClient(ApiGatewayManagementApiClient);
export const INVOKER = 'tenant-assistant.agent-invoker';
export const NOW = new Date('2025-03-01T12:00:00.000Z');

/**
 * Set-up of every test in a file that imports this module (its hooks register on import):
 * resets the management API's mock to one that accepts every post.
 */
beforeEach(() => {
  apiGateway.reset();
  apiGateway.on(PostToConnectionCommand).resolves({});
});

export const connection = (
  connectionId: string,
  userId: UserId,
  tenantId: TenantId = TENANT,
): Connection => ({
  connectionId,
  userId,
  tenantId,
  connectedAt: NOW.toISOString(),
  expiresAt: 1_800_000_000,
});

/** An answer being streamed to its owner, who has two open tabs; another user of the tenant has one. */
export const setup = async (
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
  const limiter = recordingLimiter();
  const handler = createHandler({
    answers: answers.repository,
    limiter: limiter.limiter,
    connections: connections.repository,
    pusher: createWebSocketPusher(
      () => new ApiGatewayManagementApiClient({ endpoint: 'https://ws.example.test/dev' }),
    ),
    clock: () => NOW,
    logger: options.logger ?? silentLogger(),
  });
  const stored = () => answers.stored(owner, answer.answerId);
  return { owner, neighbour, answer, answers, connections, handler, stored, limiter };
};

export const chunk = (answer: Answer, seq: number, text: string, overrides: Record<string, unknown> = {}) =>
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
export const completed = (answer: Answer, text: string) =>
  eventBridgeEvent({
    detailType: 'AnswerCompleted',
    source: INVOKER,
    detail: { tenantId: answer.tenantId, userId: answer.userId, answerId: answer.answerId, text },
  });
export const failed = (answer: Answer, reason: string) =>
  eventBridgeEvent({
    detailType: 'AnswerFailed',
    source: INVOKER,
    detail: { tenantId: answer.tenantId, userId: answer.userId, answerId: answer.answerId, reason },
  });

/** Messages posted through the management API, by connection. */
export const pushes = () =>
  apiGateway.commandCalls(PostToConnectionCommand).map((call) => ({
    connectionId: call.args[0].input.ConnectionId,
    message: JSON.parse(Buffer.from(call.args[0].input.Data as Uint8Array).toString('utf8')) as Record<
      string,
      unknown
    >,
  }));
