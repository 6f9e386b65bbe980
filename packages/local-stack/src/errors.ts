/**
 * Errors raised by the local stand-ins themselves (start-up, configuration, bad input to a helper).
 * Errors that a stand-in returns to an AWS SDK client are not thrown: they are written on the wire in
 * the shape the real service uses.
 */
export class LocalStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Every subclass is named after itself (`LoopbackOnlyError`, …) without repeating it.
    this.name = new.target.name;
  }
}

/** A stand-in was asked to listen on a non-loopback interface. */
export class LoopbackOnlyError extends LocalStackError {}

/** A stand-in (or the process it wraps) could not be started. */
export class StandInStartError extends LocalStackError {}

/** A configuration file (serverless.yml, CloudFormation template) could not be read or understood. */
export class ConfigurationError extends LocalStackError {}

/** A CloudFormation intrinsic function could not be resolved to a plain value. */
export class UnresolvedIntrinsicError extends ConfigurationError {}

/** An EventBridge event pattern is not valid (EventBridge would refuse it in PutRule). */
export class InvalidEventPatternError extends LocalStackError {}

/** A model used by the Bedrock Agent Runtime stand-in failed or answered something unusable. */
export class AgentModelError extends LocalStackError {}
