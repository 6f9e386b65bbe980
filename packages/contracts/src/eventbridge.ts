import type { Logger } from '@aws-lambda-powertools/logger';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { MiddlewareObj, Request } from '@middy/core';
import { annotateTrace } from '@tenant-assistant/lambda-kit/tracing';
import {
  AnswerOwnershipError,
  PutEventsFailedError,
  type TenantContext,
} from '@tenant-assistant/tenant-context';
import {
  appendTenantKeys,
  createLogger,
  removeTenantKeys,
  tenantKeysMiddleware,
} from '@tenant-assistant/tenant-context/logger';
import {
  buildEvent,
  type ContractEvent,
  type DetailType,
  type EventDetail,
  type OutgoingEvent,
  type ParsedEvent,
  parseContractEvent,
} from './events';

/**
 * The Lambda side of the event contracts (Node only, not for the browser): publishing events to a
 * bus, and the middleware that validates a received event and establishes its tenant context.
 */

const defaultLogger = createLogger({ serviceName: 'contracts' });

/**
 * Validates and publishes events to a bus (batches of 10). Any rejected entry
 * (`FailedEntryCount > 0`) becomes a PutEventsFailedError naming the entries.
 *
 * @example
 * await putEvents(eventBridge, busName, [{ detailType: 'AnswerCompleted', detail }]);
 */
export const putEvents = async (
  client: EventBridgeClient,
  eventBusName: string,
  events: readonly OutgoingEvent[],
): Promise<void> => {
  const entries = events.map((event) =>
    buildEvent(event.detailType, event.detail as never, { eventBusName }),
  );
  const failed: { index: number; errorCode?: string; errorMessage?: string }[] = [];
  for (let start = 0; start < entries.length; start += 10) {
    const batch = entries.slice(start, start + 10);
    const output = await client.send(new PutEventsCommand({ Entries: batch }));
    if ((output.FailedEntryCount ?? 0) > 0) {
      (output.Entries ?? []).forEach((entry, offset) => {
        if (entry.ErrorCode) {
          failed.push({
            index: start + offset,
            errorCode: entry.ErrorCode,
            ...(entry.ErrorMessage ? { errorMessage: entry.ErrorMessage } : {}),
          });
        }
      });
      if (failed.length === 0) failed.push({ index: start });
    }
  }
  if (failed.length > 0) throw new PutEventsFailedError(failed);
};

/**
 * An EventBridge event after {@link eventTenantContext}: detail parsed, tenant set — except for
 * tenant-level events (`TenantOnboarded`), which carry no user and so no `tenant` (read
 * `detail.tenantId`).
 */
/** Detail-types about a whole tenant: they carry no user. */
type TenantLevelDetailType =
  | 'TenantOnboarded'
  | 'TenantUpdated'
  | 'TenantSuspended'
  | 'TenantResumed'
  | 'TenantOffboarded'
  | 'TenantChatDataDeleted'
  | 'TenantOrderDataDeleted';

export type ContractEventWithTenant<T extends DetailType> = ContractEvent &
  {
    [K in T]: { 'detail-type': K; detail: EventDetail<K> } & (K extends TenantLevelDetailType
      ? { tenant?: undefined }
      : { tenant: TenantContext });
  }[T];

export interface EventTenantContextOptions<T extends DetailType> {
  /** The detail-types this consumer accepts; anything else is refused. */
  accept: readonly T[];
  logger?: Logger;
}

/**
 * middy middleware for EventBridge consumers: validates the event against its contract (known
 * detail-type from its producer, detail schema, answer owned by its user), replaces `event.detail`
 * with the parsed detail and sets `event.tenant`. Refusals throw InvalidEventError; an answer not
 * owned by its user is also logged as a security event.
 *
 * @example
 * middy(handler).use(eventTenantContext({ accept: ['PromptSubmitted'], logger }));
 */
export const eventTenantContext = <T extends DetailType>(
  options: EventTenantContextOptions<T>,
): MiddlewareObj<ContractEventWithTenant<T>> => {
  const logger = options.logger ?? defaultLogger;

  const eventTenantContextBefore = async (request: Request<ContractEventWithTenant<T>>) => {
    removeTenantKeys(logger);
    const event = request.event as ContractEvent & { tenant?: TenantContext };
    let parsed: { detailType: DetailType; detail: Record<string, unknown> };
    try {
      parsed = parseContractEvent(event, options.accept) as typeof parsed;
    } catch (error) {
      if (error instanceof AnswerOwnershipError) {
        logger.warn('Security event: refused an event whose answer is not owned by its user', {
          security_event: 'ANSWER_OWNERSHIP_MISMATCH',
          detail_type: event['detail-type'],
          source: event.source,
        });
      }
      throw error;
    }
    const { tenantId, userId, answerId } = parsed.detail as {
      tenantId: TenantContext['tenantId'];
      userId?: TenantContext['userId'];
      answerId?: string;
    };
    event.detail = parsed.detail;
    if (userId) event.tenant = Object.freeze({ tenantId, userId });
    appendTenantKeys(logger, { tenantId, ...(userId ? { userId } : {}) });
    if (answerId) annotateTrace({ answerId });
  };
  return tenantKeysMiddleware(logger, eventTenantContextBefore);
};

/**
 * The detail-type and detail of an event {@link eventTenantContext} accepted, correlated, for the
 * handler's domain call.
 * @example await applyAnswerEvent(deps, parsedEventOf(event));
 */
export const parsedEventOf = <T extends DetailType>(event: ContractEventWithTenant<T>): ParsedEvent<T> =>
  ({ detailType: event['detail-type'], detail: event.detail }) as ParsedEvent<T>;
