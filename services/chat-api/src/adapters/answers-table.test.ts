import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { anAnswer, OTHER_TENANT } from '../../test/support/answers';
import { testDocumentClient } from '../../test/support/deps';
import { AnswerAlreadyExistsError, AnswerVersionConflictError } from '../errors';
import { createAnswersTable } from './answers-table';

const ddb = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2025-03-01T12:00:00.000Z');
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const table = () => createAnswersTable(testDocumentClient(), () => 'answers');

beforeEach(() => ddb.reset());

describe('answers table', () => {
  it('translates a refused create into AnswerAlreadyExistsError', async () => {
    // Prepare
    ddb.on(PutCommand).rejects(conditionFailed());

    // Act
    const create = table().create(anAnswer());

    // Assess
    await expect(create).rejects.toBeInstanceOf(AnswerAlreadyExistsError);
  });

  it('saves progress only over the version it read, and only while the answer is open', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});
    const answer = anAnswer({ version: 4 });

    // Act
    await table().saveProgress(answer, 4, { text: 'ab', lastSeq: 1, pendingChunks: { 3: 'd' } }, NOW);

    // Assess
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: { userId: answer.userId, answerId: answer.answerId },
      ConditionExpression:
        'attribute_exists(answerId) AND #version = :expectedVersion AND #status IN (:pending, :streaming)',
      ExpressionAttributeValues: expect.objectContaining({
        ':expectedVersion': 4,
        ':text': 'ab',
        ':lastSeq': 1,
      }),
    });
    expect(input?.UpdateExpression).toContain('#version = #version + :one');
  });

  it('translates a refused progress write into AnswerVersionConflictError', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(conditionFailed());

    // Act
    const save = table().saveProgress(anAnswer(), 0, { text: 'a', lastSeq: 0, pendingChunks: {} }, NOW);

    // Assess
    await expect(save).rejects.toBeInstanceOf(AnswerVersionConflictError);
  });

  it('completes an answer only when it is open and of the same tenant', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    const answer = anAnswer();

    // Act
    const first = await table().complete(answer, answer.tenantId, 'Done.', NOW);
    const second = await table().complete(answer, OTHER_TENANT, 'Done.', NOW);

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression:
        'attribute_exists(answerId) AND tenantId = :tenantId AND #status IN (:pending, :streaming)',
      ExpressionAttributeValues: expect.objectContaining({
        ':completed': 'COMPLETED',
        ':tenantId': answer.tenantId,
      }),
    });
  });

  it('passes on errors other than a refused condition', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    // Act
    const fail = table().fail(anAnswer(), anAnswer().tenantId, 'x', NOW);

    // Assess
    await expect(fail).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('reads answers strongly consistent, with defaults for fields an old item lacks', async () => {
    // Prepare
    const { pendingChunks: _p, lastSeq: _l, ...old } = anAnswer();
    ddb.on(GetCommand).resolves({ Item: old });

    // Act
    const answer = await table().get(old);

    // Assess
    expect(answer).toMatchObject({ lastSeq: -1, pendingChunks: {} });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });
});
