import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { once } from '@tenant-assistant/lambda-kit/config';
import { type TokenVerifier, tokenVerifierFromEnv } from '@tenant-assistant/tenant-context/tokens';
import { monotonicFactory } from 'ulid';
import { createAnswersTable } from './adapters/answers-table';
import { documentClient, eventBridgeClient, managementApiClient } from './adapters/clients';
import { createConnectionsTable } from './adapters/connections-table';
import { createRateLimitTable } from './adapters/rate-limit-table';
import { createWebSocketPusher } from './adapters/websocket-pusher';
import { config } from './config';
import { logger } from './logger';
import type { PublishEvents } from './ports';

const envVerifier = once(() => tokenVerifierFromEnv());

/**
 * The production wiring of the ports: AWS clients created once per container, configuration read
 * on first use (importing a handler never reads the environment).
 */
export const defaults = {
  logger,
  clock: () => new Date(),
  /** ULIDs that keep increasing within a container, even within one millisecond. */
  newId: monotonicFactory(),
  /** Token verifier from COGNITO_* variables, built on first use; its JWKS is cached for the container's life. */
  verifier: { verify: (token) => envVerifier().verify(token) } satisfies TokenVerifier,
  webOrigins: config.webOrigins,
  answers: createAnswersTable(documentClient, config.answersTableName),
  connections: createConnectionsTable(documentClient, config.connectionsTableName),
  rateLimiter: createRateLimitTable(documentClient, {
    tableName: config.rateLimitsTableName,
    limit: config.promptsPerMinute,
  }),
  publish: ((events) => putEvents(eventBridgeClient, config.eventBusName(), events)) satisfies PublishEvents,
  pusher: createWebSocketPusher(managementApiClient),
  answerTtlDays: config.answerTtlDays,
  connectionTtlSeconds: config.connectionTtlSeconds,
};
