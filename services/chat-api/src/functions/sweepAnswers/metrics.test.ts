import { captureOutput, expectMetricLines, lambdaContext } from '@tenant-assistant/testing';
import { anAnswer } from '../../../test/support/answers';
import { silentLogger } from '../../../test/support/deps';
import { memoryAnswers, memoryConnections, recordingPusher } from '../../../test/support/memory';
import { createHandler } from './handler';

const NOW = new Date('2025-03-01T12:00:00.000Z');

describe('sweepAnswers metrics', () => {
  it('counts the overdue answers it found and those it timed out', async () => {
    // Prepare
    const answers = memoryAnswers();
    await answers.repository.create(anAnswer({ status: 'PENDING', deadlineAt: '2025-03-01T11:59:00.000Z' }));
    await answers.repository.create(
      anAnswer({ status: 'STREAMING', deadlineAt: '2025-03-01T11:58:00.000Z' }),
    );
    await answers.repository.create(anAnswer({ status: 'PENDING', deadlineAt: '2025-03-01T12:01:00.000Z' }));
    const handler = createHandler({
      answers: answers.repository,
      connections: memoryConnections([]).repository,
      pusher: recordingPusher().pusher,
      clock: () => NOW,
      logger: silentLogger(),
    });

    // Act
    const { output } = await captureOutput(() => handler({}, lambdaContext()));

    // Assess
    expectMetricLines(output, [
      { values: { service: 'chat-api', AnswersOverdue: 2, AnswersTimedOut: 2 }, dimensions: ['service'] },
    ]);
  });
});
