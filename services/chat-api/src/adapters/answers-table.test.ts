import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { anAnswer, OTHER_TENANT } from '../../test/support/answers';
import { testDocumentClient } from '../../test/support/deps';
import { AnswerAlreadyExistsError } from '../errors';
import { createAnswersTable } from './answers-table';

const ddb = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2025-03-01T12:00:00.000Z');
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const table = () =>
  createAnswersTable(testDocumentClient(), {
    answers: () => 'answers',
    conversations: () => 'conversations',
  });

beforeEach(() => ddb.reset());

describe('answers table', () => {
  it('translates a refused create into AnswerAlreadyExistsError', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act
    const create = table().create(anAnswer());

    // Assess
    await expect(create).rejects.toBeInstanceOf(AnswerAlreadyExistsError);
  });

  it('stores a chunk under its seq with one conditional write: open, same tenant, before the deadline', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    const answer = anAnswer();

    // Act
    const written = await table().saveChunk(answer, answer.tenantId, 3, 'abc', NOW);
    const refused = await table().saveChunk(answer, answer.tenantId, 4, 'd', NOW);

    // Assess
    expect([written, refused]).toEqual([true, false]);
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: { userId: answer.userId, answerId: answer.answerId },
      UpdateExpression: 'SET #status = :streaming, chunks.#seq = :text, updatedAt = :now',
      ConditionExpression:
        'attribute_exists(answerId) AND tenantId = :tenantId AND #status IN (:pending, :streaming) AND deadlineAt > :now',
      ExpressionAttributeNames: expect.objectContaining({ '#seq': '3' }),
      ExpressionAttributeValues: expect.objectContaining({ ':text': 'abc', ':now': NOW.toISOString() }),
    });
  });

  it('expires an open answer only once its deadline has passed, and takes it out of the open index', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});
    const answer = anAnswer();

    // Act
    await table().expire(answer, answer.tenantId, NOW);

    // Assess
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe(
      'attribute_exists(answerId) AND tenantId = :tenantId AND #status IN (:pending, :streaming) AND (attribute_not_exists(deadlineAt) OR deadlineAt <= :now)',
    );
    expect(input?.UpdateExpression).toContain('REMOVE chunks, openShard');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':failed': 'FAILED',
      ':tenantId': answer.tenantId,
    });
  });

  it('stores a new answer and its conversation in one transaction, the answer conditional on a new id', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    const answer = anAnswer({ prompt: 'x'.repeat(300) });

    // Act
    await table().create(answer);

    // Assess
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.[0]?.Put).toMatchObject({
      TableName: 'answers',
      ConditionExpression: 'attribute_not_exists(answerId)',
      Item: expect.objectContaining({
        answerId: answer.answerId,
        openShard: expect.stringMatching(/^open#[0-3]$/),
      }),
    });
    expect(items?.[1]?.Update).toMatchObject({
      TableName: 'conversations',
      Key: { userId: answer.userId, conversationId: answer.conversationId },
      ExpressionAttributeValues: expect.objectContaining({ ':title': 'x'.repeat(200) }),
    });
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
        'attribute_exists(answerId) AND tenantId = :tenantId AND #status IN (:pending, :streaming) AND deadlineAt > :now',
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
    const { chunks: _c, deadlineAt: _d, ...old } = anAnswer();
    ddb.on(GetCommand).resolves({ Item: old });

    // Act
    const answer = await table().get(old);

    // Assess (an answer stored before deadlines existed is past its deadline)
    expect(answer).toMatchObject({ chunks: {}, deadlineAt: old.createdAt });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });
});
