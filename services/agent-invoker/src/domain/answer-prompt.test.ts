import { InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { MAX_ANSWER_LENGTH, MAX_CHUNK_LENGTH } from '@tenant-assistant/contracts/events';
import {
  agentAnswers,
  agentMock,
  eventBridgeMock,
  resetAnswerMocks,
  setup,
} from '../../test/support/answer-prompt';
import { publishedEvents, testConfig } from '../../test/support/fakes';
import { FAILURE_REASONS } from './failures';

beforeEach(resetAnswerMocks);

describe('answerPrompt', () => {
  test('publishes coalesced AnswerChunks numbered from 0, then one AnswerCompleted with their concatenation', async () => {
    // Prepare
    const { clock, detail, run } = setup();
    const pieces = ['Your ', 'order ', 'o-1001 ', 'can ', 'be ', 'returned ', 'until ', 'January ', '30.'];
    agentAnswers(
      clock,
      pieces.map((text) => ({ text, afterMs: 100 })),
    );

    // Act
    const outcome = await run();

    // Assess
    const events = publishedEvents(eventBridgeMock);
    const chunks = events.filter((e) => e.detailType === 'AnswerChunk');
    const completed = events.filter((e) => e.detailType === 'AnswerCompleted');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(pieces.length);
    expect(chunks.map((c) => c.detail.seq)).toEqual(chunks.map((_, index) => index));
    expect(completed).toHaveLength(1);
    expect(events.at(-1)?.detailType).toBe('AnswerCompleted');
    expect(completed[0]?.detail).toEqual({
      tenantId: detail.tenantId,
      userId: detail.userId,
      answerId: detail.answerId,
      text: pieces.join(''),
    });
    expect(chunks.map((c) => c.detail.text).join('')).toBe(pieces.join(''));
    expect(
      events.every((e) => e.bus === testConfig.eventBusName && e.source === 'tenant-assistant.agent-invoker'),
    ).toBe(true);
    expect(outcome).toEqual({
      answerId: detail.answerId,
      outcome: 'completed',
      chunks: chunks.length,
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  test('publishes the last chunk and AnswerCompleted together in one PutEvents call, in this order', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [
      { text: 'Your order ', afterMs: 0 },
      { text: 'o-1001 ', afterMs: 10 },
      { text: 'has shipped.', afterMs: 10 },
    ]);

    // Act
    const outcome = await run();

    // Assess
    const calls = eventBridgeMock
      .commandCalls(PutEventsCommand)
      .map((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.DetailType));
    expect(calls).toEqual([['AnswerChunk'], ['AnswerChunk', 'AnswerCompleted']]);
    const events = publishedEvents(eventBridgeMock);
    expect(events.map((e) => [e.detailType, e.detail.seq, e.detail.text])).toEqual([
      ['AnswerChunk', 0, 'Your order '],
      ['AnswerChunk', 1, 'o-1001 has shipped.'],
      ['AnswerCompleted', undefined, 'Your order o-1001 has shipped.'],
    ]);
    expect(outcome).toMatchObject({ outcome: 'completed', chunks: 2 });
  });

  test('asks for credentials of exactly the prompt’s tenant and user', async () => {
    // Prepare
    const { clock, tenant, getCredentials, run } = setup();
    agentAnswers(clock, ['Hello']);

    // Act
    await run();

    // Assess
    expect(getCredentials).toHaveBeenCalledTimes(1);
    expect(getCredentials).toHaveBeenCalledWith(tenant);
  });

  test("refuses a user who is not a member of the prompt's tenant before asking for credentials", async () => {
    // Prepare
    const { run, isMember, getCredentials, tenant } = setup({ member: false });

    // Act
    const outcome = await run();

    // Assess
    expect(isMember).toHaveBeenCalledWith(tenant.tenantId, tenant.userId);
    expect(getCredentials).not.toHaveBeenCalled();
    expect(agentMock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(publishedEvents(eventBridgeMock).map((e) => [e.detailType, e.detail.reason])).toEqual([
      ['AnswerFailed', FAILURE_REASONS.invalidRequest],
    ]);
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'invalidRequest' });
  });

  test('fails an answer longer than the contract allows (tooLong), its chunks bounded by the contract', async () => {
    // Prepare
    const { clock, run } = setup();
    agentAnswers(clock, [
      { text: 'x'.repeat(MAX_CHUNK_LENGTH * 3), afterMs: 0 },
      { text: 'y'.repeat(MAX_ANSWER_LENGTH), afterMs: 0 },
    ]);

    // Act
    const outcome = await run();

    // Assess
    const events = publishedEvents(eventBridgeMock);
    const chunks = events.filter((e) => e.detailType === 'AnswerChunk');
    expect(chunks.map((e) => (e.detail.text as string).length)).toEqual([
      MAX_CHUNK_LENGTH,
      MAX_CHUNK_LENGTH,
      MAX_CHUNK_LENGTH,
    ]);
    expect(events.at(-1)).toMatchObject({
      detailType: 'AnswerFailed',
      detail: { reason: FAILURE_REASONS.interrupted },
    });
    expect(outcome.outcome).toBe('failed');
  });
});
