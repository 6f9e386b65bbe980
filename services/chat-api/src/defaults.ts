import { putEvents } from '@tenant-assistant/tenant-context/events';
import { type TokenVerifier, tokenVerifierFromEnv } from '@tenant-assistant/tenant-context/tokens';
import { monotonicFactory } from 'ulid';
import { createAnswersTable } from './adapters/answers-table';
import { documentClient, eventBridgeClient, managementApiClient } from './adapters/clients';
import { createConnectionsTable } from './adapters/connections-table';
import { createPromptLimiter } from './adapters/rate-limit-table';
import { createTenantTiers } from './adapters/tenant-tiers';
import { createUsageReader } from './adapters/usage-table';
import { createWebSocketPusher } from './adapters/websocket-pusher';
import { config, lazy } from './config';
import { logger } from './logger';
import type { PublishEvents } from './ports';

const envVerifier = lazy(() => tokenVerifierFromEnv());

/** How long a container keeps a tenant's tier: a tier change takes effect within this time. */
export const TIER_CACHE_MS = 30_000;

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
  tiers: createTenantTiers(documentClient, {
    tableName: config.tenantConfigTableName,
    ttlMs: TIER_CACHE_MS,
    onUnknownTier: (tenantId) => logger.warn('Unknown tier in TenantConfig, using basic', { tenantId }),
  }),
  limiter: createPromptLimiter(documentClient, {
    tableName: config.rateLimitsTableName,
    slotSeconds: config.answerSlotSeconds,
  }),
  usage: createUsageReader(documentClient, config.usageTableName),
  publish: ((events) => putEvents(eventBridgeClient, config.eventBusName(), events)) satisfies PublishEvents,
  pusher: createWebSocketPusher(managementApiClient),
  answerTtlDays: config.answerTtlDays,
  connectionTtlSeconds: config.connectionTtlSeconds,
};
