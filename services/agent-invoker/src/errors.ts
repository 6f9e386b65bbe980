/**
 * Errors of the agent-invoker. Every error has a stable `name`; `cause` is kept so logs (which only
 * ever print safe fields, see `describeError`) can say what went wrong underneath.
 */
export class AgentInvokerError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentInvokerError';
  }
}

/** A required environment variable is missing or malformed (read once, at cold start). */
export class InvalidConfigurationError extends AgentInvokerError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidConfigurationError';
  }
}

/** The deadline derived from the Lambda's remaining time passed before the agent finished. */
export class DeadlineExceededError extends AgentInvokerError {
  constructor() {
    super('The deadline for answering this prompt passed');
    this.name = 'DeadlineExceededError';
  }
}

/** The agent's response stream carried something this service cannot turn into an answer. */
export class UnexpectedAgentResponseError extends AgentInvokerError {
  /** The response-stream member that was not expected, e.g. `returnControl`. */
  readonly member: string;
  constructor(member: string) {
    super(`The agent's response stream carried an unexpected "${member}" event`);
    this.name = 'UnexpectedAgentResponseError';
    this.member = member;
  }
}

/** The agent finished without producing any text. */
export class EmptyAnswerError extends AgentInvokerError {
  constructor() {
    super('The agent returned no text');
    this.name = 'EmptyAnswerError';
  }
}

/** The agent's answer grew past the contract's MAX_ANSWER_LENGTH. */
export class AnswerTooLongError extends AgentInvokerError {
  constructor() {
    super('The agent returned more text than an answer may carry');
    this.name = 'AnswerTooLongError';
  }
}

/** The prompt names a tenant its user does not belong to (a forged or broken PromptSubmitted). */
export class NotATenantMemberError extends AgentInvokerError {
  constructor() {
    super("The prompt's user is not a member of its tenant");
    this.name = 'NotATenantMemberError';
  }
}

/** Publishing an AnswerChunk failed after its retries (the agent is not asked again for it). */
export class AnswerPublishError extends AgentInvokerError {
  constructor(cause: unknown) {
    super('Publishing an answer event failed', { cause });
    this.name = 'AnswerPublishError';
  }
}
