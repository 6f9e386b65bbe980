import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { AnswerId } from '@tenant-assistant/tenant-context';
import { mockClient } from 'aws-sdk-client-mock';
import { ConnectionGoneError } from '../errors';
import { createWebSocketPusher } from './websocket-pusher';

const apiGateway = mockClient(ApiGatewayManagementApiClient);
const pusher = createWebSocketPusher(
  () => new ApiGatewayManagementApiClient({ endpoint: 'http://127.0.0.1:3001' }),
);
const message = { type: 'answer.completed' as const, answerId: 'a.b' as AnswerId, text: 'Done' };

beforeEach(() => apiGateway.reset());

describe('WebSocket pusher', () => {
  it('posts the message as JSON to the connection', async () => {
    // Prepare
    apiGateway.on(PostToConnectionCommand).resolves({});

    // Act
    await pusher.post('conn-1=', message);

    // Assess
    const input = apiGateway.commandCalls(PostToConnectionCommand)[0]?.args[0].input;
    expect(input?.ConnectionId).toBe('conn-1=');
    expect(JSON.parse(Buffer.from(input?.Data as Uint8Array).toString('utf8'))).toEqual(message);
  });

  it('turns GoneException into ConnectionGoneError', async () => {
    // Prepare
    apiGateway.on(PostToConnectionCommand).rejects(new GoneException({ message: 'Gone', $metadata: {} }));

    // Act
    const post = pusher.post('conn-1=', message);

    // Assess
    await expect(post).rejects.toBeInstanceOf(ConnectionGoneError);
  });

  it('passes on other failures', async () => {
    // Prepare
    apiGateway.on(PostToConnectionCommand).rejects(new Error('LimitExceededException'));

    // Act
    const post = pusher.post('conn-1=', message);

    // Assess
    await expect(post).rejects.toThrow('LimitExceededException');
  });
});
