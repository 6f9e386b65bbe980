import { AppError, ConfigurationError } from '@tenant-assistant/lambda-kit/errors';

/**
 * Errors of the agent-invoker, on the kit's error base: a stable `name` and `code`; `cause` is
 * kept so logs (which only ever print safe fields, see `describeError`) can say what went wrong
 * underneath. None is shown to anyone: a failed answer carries a fixed, safe reason.
 */
export class AgentInvokerError extends AppError {
  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, options);
    this.name = 'AgentInvokerError';
  }
}

/** A required environment variable is missing or malformed (the kit's one ConfigurationError). */
export { ConfigurationError, ConfigurationError as InvalidConfigurationError };

/** The deadline derived from the Lambda's remaining time passed before the agent finished. */
export class DeadlineExceededError extends AgentInvokerError {
  constructor() {
    super('The deadline for answering this prompt passed', { code: 'DEADLINE_EXCEEDED' });
    this.name = 'DeadlineExceededError';
  }
}

/** The agent's response stream carried something this service cannot turn into an answer. */
export class UnexpectedAgentResponseError extends AgentInvokerError {
  /** The response-stream member that was not expected, e.g. `returnControl`. */
  readonly member: string;
  constructor(member: string) {
    super(`The agent's response stream carried an unexpected "${member}" event`, {
      code: 'UNEXPECTED_AGENT_RESPONSE',
    });
    this.name = 'UnexpectedAgentResponseError';
    this.member = member;
  }
}

/** The agent finished without producing any text. */
export class EmptyAnswerError extends AgentInvokerError {
  constructor() {
    super('The agent returned no text', { code: 'EMPTY_ANSWER' });
    this.name = 'EmptyAnswerError';
  }
}

/** The agent's answer grew past the contract's MAX_ANSWER_LENGTH. */
export class AnswerTooLongError extends AgentInvokerError {
  constructor() {
    super('The agent returned more text than an answer may carry', { code: 'ANSWER_TOO_LONG' });
    this.name = 'AnswerTooLongError';
  }
}

/** The prompt names a tenant its user does not belong to (a forged or broken PromptSubmitted). */
export class NotATenantMemberError extends AgentInvokerError {
  constructor() {
    super("The prompt's user is not a member of its tenant", { code: 'NOT_A_TENANT_MEMBER' });
    this.name = 'NotATenantMemberError';
  }
}

/** Publishing an AnswerChunk failed after its retries (the agent is not asked again for it). */
export class AnswerPublishError extends AgentInvokerError {
  constructor(cause: unknown) {
    super('Publishing an answer event failed', { code: 'ANSWER_PUBLISH_FAILED', cause });
    this.name = 'AnswerPublishError';
  }
}
