import { promptDetail, promptEvent } from '../../test/support/fakes';
import { refusedAnswerOwner } from './prompt-error-handler';

describe('refusedAnswerOwner', () => {
  test('names the owner of a refused prompt whose tenant, user and answer id are valid', () => {
    // Prepare
    const detail = promptDetail({ prompt: '' });

    // Act
    const owner = refusedAnswerOwner(promptEvent(detail));

    // Assess
    expect(owner).toEqual({ tenantId: detail.tenantId, userId: detail.userId, answerId: detail.answerId });
  });

  test.each([
    [
      'an answer id owned by another user',
      () => promptEvent({ ...promptDetail(), answerId: promptDetail().answerId }),
    ],
    ['an invalid tenant id', () => promptEvent({ ...promptDetail(), tenantId: 'Tenant*' })],
    ['a missing detail', () => ({ ...promptEvent(), detail: null })],
    ['another source', () => ({ ...promptEvent(), source: 'tenant-assistant.auth' })],
    ['another detail-type', () => ({ ...promptEvent(), 'detail-type': 'AnswerFailed' })],
    ['something that is not an event', () => 'PromptSubmitted'],
  ])('names nobody for %s', (_name, event) => {
    // Act / Assess
    expect(refusedAnswerOwner(event())).toBeUndefined();
  });
});
