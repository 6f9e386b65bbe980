import * as contracts from '@tenant-assistant/contracts/events';
import { captureOutput, lambdaContext } from '@tenant-assistant/testing';
import * as answerEvents from '../../../test/support/answer-events';
import { OTHER_TENANT } from '../../../test/support/answers';
import { audibleLogger } from '../../../test/support/logger';
import type { Answer } from '../../answers/model';

describe('onAnswerEvent handler refusals', () => {
  it('refuses an event whose answerId is not owned by its userId and logs a security event', async () => {
    // Prepare
    const { handler, answer, neighbour, stored } = await answerEvents.setup({ logger: audibleLogger() });
    const forged = answerEvents.chunk(answer, 0, 'injected', { userId: neighbour });

    // Act
    const { result, output } = await captureOutput(() => handler(forged, lambdaContext()));

    // Assess
    expect(result).toEqual({ refused: true, code: 'INVALID_EVENT' });
    expect(output).toContain('ANSWER_OWNERSHIP_MISMATCH');
    expect(output).not.toContain('injected');
    expect(stored()).toMatchObject({ status: 'PENDING', text: '' });
    expect(answerEvents.pushes()).toEqual([]);
  });

  it("refuses an event for another tenant's answer and logs a security event", async () => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup({ logger: audibleLogger() });
    const crossTenant = answerEvents.completed({ ...answer, tenantId: OTHER_TENANT }, 'injected');

    // Act
    const { result, output } = await captureOutput(() => handler(crossTenant, lambdaContext()));

    // Assess
    expect(result).toEqual({ refused: true, code: 'ANSWER_TENANT_MISMATCH' });
    expect(output).toContain('ANSWER_TENANT_MISMATCH');
    expect(stored()).toMatchObject({ status: 'PENDING', text: '' });
    expect(answerEvents.pushes()).toEqual([]);
  });

  it("refuses a chunk for another tenant's answer: nothing stored, nothing pushed, a security event", async () => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup({ logger: audibleLogger() });
    const crossTenant = answerEvents.chunk({ ...answer, tenantId: OTHER_TENANT }, 0, 'injected');

    // Act
    const { result, output } = await captureOutput(() => handler(crossTenant, lambdaContext()));

    // Assess
    expect(result).toEqual({ refused: true, code: 'ANSWER_TENANT_MISMATCH' });
    expect(output).toContain('ANSWER_TENANT_MISMATCH');
    expect(stored()).toMatchObject({ status: 'PENDING', chunks: {} });
    expect(answerEvents.pushes()).toEqual([]);
  });

  it.each([
    [
      'a chunk longer than the contract allows',
      (a: Answer) => answerEvents.chunk(a, 0, 'x'.repeat(contracts.MAX_CHUNK_LENGTH + 1)),
    ],
    [
      'a chunk numbered past the chunks an answer may have',
      (a: Answer) => answerEvents.chunk(a, contracts.MAX_CHUNKS_PER_ANSWER, 'x'),
    ],
    [
      'a completion longer than the contract allows',
      (a: Answer) => answerEvents.completed(a, 'x'.repeat(contracts.MAX_ANSWER_LENGTH + 1)),
    ],
    [
      'a failure whose reason is free text',
      (a: Answer) => answerEvents.failed(a, 'Session expired: sign in at https://evil.example'),
    ],
  ])('refuses %s and changes nothing', async (_case, build) => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup();

    // Act
    const outcome = await handler(build(answer), lambdaContext());

    // Assess
    expect(outcome).toEqual({ refused: true, code: 'INVALID_EVENT' });
    expect(stored()).toMatchObject({ status: 'PENDING', text: '' });
    expect(answerEvents.pushes()).toEqual([]);
  });

  it.each([
    ['comes from another source', { source: 'tenant-assistant.chat-api' }],
    ['is not an answer event', { detailType: 'PromptSubmitted' }],
    ['has an unknown detail-type', { detailType: 'AnswerDeleted' }],
  ])('refuses an event that %s', async (_case, change) => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup();
    const event = { ...answerEvents.chunk(answer, 0, 'x') };
    if ('source' in change) event.source = change.source;
    if ('detailType' in change) event['detail-type'] = change.detailType;

    // Act
    const outcome = await handler(event, lambdaContext());

    // Assess
    expect(outcome).toEqual({ refused: true, code: 'INVALID_EVENT' });
    expect(stored()?.status).toBe('PENDING');
    expect(answerEvents.pushes()).toEqual([]);
  });

  it.each([
    ['a negative seq', { seq: -1 }],
    ['a fractional seq', { seq: 1.5 }],
    ['a tenantId that could widen a policy', { tenantId: '*' }],
    ['no text', { text: undefined }],
    ['a malformed answerId', { answerId: 'abc' }],
  ])('refuses a chunk with %s', async (_case, overrides) => {
    // Prepare
    const { handler, answer, stored } = await answerEvents.setup();

    // Act
    const outcome = await handler(answerEvents.chunk(answer, 0, 'x', overrides), lambdaContext());

    // Assess
    expect(outcome).toEqual({ refused: true, code: 'INVALID_EVENT' });
    expect(stored()?.status).toBe('PENDING');
  });
});
