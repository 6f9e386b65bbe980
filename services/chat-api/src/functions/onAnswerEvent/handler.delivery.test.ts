import { GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { lambdaContext } from '@tenant-assistant/testing';
import * as answerEvents from '../../../test/support/answer-events';
import { anAnswer } from '../../../test/support/answers';

describe('onAnswerEvent handler delivery', () => {
  it('removes connections that are gone and still reaches the others', async () => {
    // Prepare
    const { handler, answer, connections } = await answerEvents.setup();
    answerEvents.apiGateway
      .on(PostToConnectionCommand, { ConnectionId: 'owner-tab-1=' })
      .rejects(new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } }));

    // Act
    const outcome = await handler(answerEvents.chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: true, push: { delivered: 1, removed: 1, failed: 0 } });
    expect([...connections.items.keys()]).toEqual(['owner-tab-2=', 'neighbour=']);
  });

  it('treats a bare 410 from the management API (serverless-offline) as gone', async () => {
    // Prepare
    const { handler, answer, connections } = await answerEvents.setup();
    const bare410 = Object.assign(new Error('UnknownError'), { $metadata: { httpStatusCode: 410 } });
    answerEvents.apiGateway.on(PostToConnectionCommand, { ConnectionId: 'owner-tab-2=' }).rejects(bare410);

    // Act
    await handler(answerEvents.chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(connections.items.has('owner-tab-2=')).toBe(false);
  });

  it('keeps a connection whose push failed for another reason, and still applies the event', async () => {
    // Prepare
    const { handler, answer, connections, stored } = await answerEvents.setup();
    answerEvents.apiGateway
      .on(PostToConnectionCommand, { ConnectionId: 'owner-tab-1=' })
      .rejects(new Error('throttled'));

    // Act
    const outcome = await handler(answerEvents.chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: true, push: { delivered: 1, removed: 0, failed: 1 } });
    expect(connections.items.has('owner-tab-1=')).toBe(true);
    expect(stored()?.chunks).toEqual({ 0: 'Hi' });
  });

  it('ignores an event for an answer that does not exist', async () => {
    // Prepare
    const { handler, owner } = await answerEvents.setup();
    const unknown = anAnswer({ userId: owner });

    // Act
    const outcome = await handler(answerEvents.chunk(unknown, 0, 'Hi'), lambdaContext());

    // Assess
    expect(outcome).toEqual({ applied: false, reason: 'missing' });
    expect(answerEvents.pushes()).toEqual([]);
  });

  it('fails the invocation (so it is retried) when the answers table fails', async () => {
    // Prepare
    const { handler, answer, answers } = await answerEvents.setup();
    answers.repository.saveChunk = async () => {
      throw new Error('DynamoDB unavailable');
    };

    // Act
    const invocation = handler(answerEvents.chunk(answer, 0, 'Hi'), lambdaContext());

    // Assess
    await expect(invocation).rejects.toThrow('DynamoDB unavailable');
  });
});
