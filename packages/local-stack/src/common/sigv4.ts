import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  /** `YYYYMMDD` from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9;_.:-]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/i;

export const parseAuthorizationHeader = (value: string | undefined): ParsedAuthorization | undefined => {
  const match = value ? AUTH_PATTERN.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, accessKeyId, scopeDate, region, service, signedHeaders, signature] = match;
  if (!accessKeyId || !scopeDate || !region || !service || !signedHeaders || !signature) return undefined;
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    signedHeaders: signedHeaders.toLowerCase().split(';'),
    signature: signature.toLowerCase(),
  };
};

/** sha256 / HMAC-sha256 over node:crypto in the shape @smithy/signature-v4 expects. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const toBuffer = (data: string | ArrayBuffer | ArrayBufferView): Buffer => {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
};

export interface SignedRequest {
  method: string;
  /** Raw request target as received: path and query string, still URL-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SignatureFailure =
  | { code: 'IncompleteSignature'; message: string }
  | { code: 'SignatureDoesNotMatch'; message: string }
  | { code: 'SignatureExpired'; message: string };

/** AWS accepts a request signed at most 15 minutes before or after its own clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const parseAmzDate = (value: string): Date | undefined => {
  const match = AMZ_DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
};

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
};

const parseQuery = (query: string): Record<string, string | string[]> => {
  const result: Record<string, string | string[]> = {};
  if (!query) return result;
  for (const part of query.split('&')) {
    if (!part) continue;
    const index = part.indexOf('=');
    const key = decodeURIComponent(index < 0 ? part : part.slice(0, index));
    const value = index < 0 ? '' : decodeURIComponent(part.slice(index + 1));
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
};

/**
 * Recomputes a SigV4 signature with the caller's secret (via @smithy/signature-v4, the signer the AWS
 * SDK itself uses) and compares it with the one sent. Only the headers the client listed in
 * `SignedHeaders` take part, exactly as AWS does.
 */
export const verifySignature = async (
  request: SignedRequest,
  auth: ParsedAuthorization,
  credentials: SigningCredentials,
  now: Date,
): Promise<SignatureFailure | undefined> => {
  const amzDate = headerValue(request.headers, 'x-amz-date');
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  // Over HTTP/2 the SDK signs the `:authority` pseudo-header instead of `host`.
  const signsHost = auth.signedHeaders.includes('host') || auth.signedHeaders.includes(':authority');
  if (!amzDate || !signingDate || !signsHost) {
    return {
      code: 'IncompleteSignature',
      message:
        'Authorization header requires existence of a valid x-amz-date header and a signed host header.',
    };
  }
  if (!amzDate.startsWith(auth.scopeDate)) {
    return {
      code: 'SignatureDoesNotMatch',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}'`,
    };
  }
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return {
      code: 'SignatureExpired',
      message: `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} - 15 min.)`,
    };
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) {
      return {
        code: 'SignatureDoesNotMatch',
        message: `Signed header "${name}" is missing from the request.`,
      };
    }
    headers[name] = value;
  }
  const declaredPayloadHash = headers['x-amz-content-sha256'];
  if (declaredPayloadHash !== undefined && declaredPayloadHash !== 'UNSIGNED-PAYLOAD') {
    const actual = createHash('sha256').update(request.body).digest('hex');
    if (actual !== declaredPayloadHash) {
      return {
        code: 'SignatureDoesNotMatch',
        message: 'The provided x-amz-content-sha256 header does not match what was computed.',
      };
    }
  }
  const queryIndex = request.url.indexOf('?');
  const path = queryIndex < 0 ? request.url : request.url.slice(0, queryIndex);
  const query = queryIndex < 0 ? '' : request.url.slice(queryIndex + 1);
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  let signed: Awaited<ReturnType<SignatureV4['presign']>>;
  try {
    signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: headers.host ?? headers[':authority'] ?? 'localhost',
        path,
        query: parseQuery(query),
        headers,
        body: request.body,
      },
      { signingDate, signableHeaders: new Set(auth.signedHeaders) },
    );
  } catch {
    return { code: 'IncompleteSignature', message: 'The request signature could not be computed.' };
  }
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return {
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return undefined;
};

export const formatAmzDate = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
