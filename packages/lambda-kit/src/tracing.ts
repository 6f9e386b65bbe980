import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/** The part of Powertools' Tracer that annotating needs (tests pass a fake). */
export type TraceAnnotator = Pick<Tracer, 'isTracingEnabled' | 'putAnnotation'>;

/** What a trace may be annotated with: identifiers only — never tokens, credentials, prompts or events. */
export interface TraceIds {
  tenantId?: string;
  userId?: string;
  answerId?: string;
}

/** The annotation key of each identifier (the same names as the log keys). */
export const TRACE_ANNOTATION_KEYS = {
  tenantId: 'tenant_id',
  userId: 'user_id',
  answerId: 'answer_id',
} as const satisfies Record<keyof TraceIds, string>;

/** An identifier as the services make them (tenant id, Cognito sub, `<sub>.<ulid>`); nothing longer. */
const ID_SHAPED = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** A JWT is id-shaped too: its header always starts so. */
const JWT_HEADER = /^eyJ/;

const tracers = new Map<string, Tracer>();

/**
 * The service's Powertools Tracer, one per service and container. It traces only inside Lambda
 * with `provider.tracing.lambda` on (outside, and with `POWERTOOLS_TRACE_ENABLED=false`, every call
 * is a no-op). HTTP(S) calls are captured; responses never (they carry answers and passwords).
 *
 * @example export const tracer = tracerFor('chat-api');
 */
export const tracerFor = (serviceName: string): Tracer => {
  const existing = tracers.get(serviceName);
  if (existing) return existing;
  const tracer = new Tracer({ serviceName });
  tracers.set(serviceName, tracer);
  return tracer;
};

/** The tracer of the service this container runs (`POWERTOOLS_SERVICE_NAME`, set in every serverless.yml). */
const containerTracer = (): Tracer => tracerFor(process.env.POWERTOOLS_SERVICE_NAME || 'tenant-assistant');

/**
 * Annotates the invocation's trace with `tenant_id`, `user_id` and `answer_id` (searchable in
 * X-Ray). Only these identifiers, and only values shaped like one: anything else is left out.
 * tenant-context calls it wherever it establishes the tenant (next to the log keys).
 *
 * @example annotateTrace({ tenantId: tenant.tenantId, userId: tenant.userId });
 */
export const annotateTrace = (ids: TraceIds, tracer: TraceAnnotator = containerTracer()): void => {
  if (!tracer.isTracingEnabled()) return;
  for (const [field, key] of Object.entries(TRACE_ANNOTATION_KEYS) as [keyof TraceIds, string][]) {
    const value = ids[field];
    if (typeof value === 'string' && ID_SHAPED.test(value) && !JWT_HEADER.test(value))
      tracer.putAnnotation(key, value);
  }
};

/**
 * middy middleware on Powertools' `captureLambdaHandler`: a `## <handler>` subsegment per
 * invocation with the `ColdStart` and `Service` annotations and the error (if any) as metadata —
 * never the response. Put it first, so the tenant annotations (added later in the chain) land on it.
 *
 * @example middy(handler).use(traceInvocation(tracer)).use(injectLambdaContext(logger))
 */
export const traceInvocation = (tracer: Tracer): MiddlewareObj =>
  captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj;

/**
 * An AWS SDK v3 client with its calls traced as subsegments (Powertools' `captureAWSv3Client`);
 * unchanged when tracing is off. Wrap each client where it is created, once per container.
 *
 * @example export const dynamodb = tracedClient(tracer, new DynamoDBClient({}));
 */
export const tracedClient = <C>(tracer: Tracer, client: C): C => tracer.captureAWSv3Client(client);
