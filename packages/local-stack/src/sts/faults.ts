import type { AuthenticationFaultCode } from '../common/caller';
import { escapeXml } from '../common/ids';

export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** A refusal of the STS stand-in, written as STS's XML `ErrorResponse`. */
export class StsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

export const validation = (message: string) => new StsFault(400, 'ValidationError', message);

/** STS (a query-protocol service) names the authentication faults its own way. */
export const STS_AUTHENTICATION_CODES: Record<AuthenticationFaultCode, string> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  ExpiredTokenException: 'ExpiredToken',
};

export const errorResponse = (fault: StsFault, requestId: string) => `<ErrorResponse xmlns="${STS_NS}">
  <Error>
    <Type>${fault.type}</Type>
    <Code>${fault.code}</Code>
    <Message>${escapeXml(fault.message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;
