import { randomUUID } from 'node:crypto';
import type { Http2ServerResponse } from 'node:http2';

export type BedrockErrorType =
  | 'ValidationException'
  | 'ThrottlingException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'DependencyFailedException'
  | 'InternalServerException'
  | 'ServiceQuotaExceededException'
  | 'BadGatewayException'
  | 'ConflictException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'ExpiredTokenException';

const ERROR_STATUS: Record<BedrockErrorType, number> = {
  ValidationException: 400,
  ThrottlingException: 429,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  DependencyFailedException: 424,
  InternalServerException: 500,
  ServiceQuotaExceededException: 400,
  BadGatewayException: 502,
  ConflictException: 409,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  ExpiredTokenException: 403,
};

export class AgentFault extends Error {
  constructor(
    readonly type: BedrockErrorType,
    message: string,
  ) {
    super(message);
  }
}

export const constraint = (value: string, field: string, rule: string) =>
  new AgentFault(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`,
  );

/** Answers a refusal as Bedrock does: the status of its type, `x-amzn-errortype`, `{ message }`. */
export const sendError = (res: Http2ServerResponse, type: BedrockErrorType, text: string) => {
  res.writeHead(ERROR_STATUS[type], {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify({ message: text }));
};
