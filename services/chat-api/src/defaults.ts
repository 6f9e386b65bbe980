import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { once } from '@tenant-assistant/lambda-kit/config';
import { type TokenVerifier, tokenVerifierFromEnv } from '@tenant-assistant/tenant-context/tokens';
import { monotonicFactory } from 'ulid';
import { createAdminGroups } from './adapters/admin-groups';
import { createAnswersTable } from './adapters/answers-table';
import { cognitoClient, documentClient, eventBridgeClient, managementApiClient } from './adapters/clients';
import { createConnectionsTable } from './adapters/connections-table';
import { createPromptMetrics } from './adapters/prompt-metrics';
import { createPromptLimiter } from './adapters/rate-limit-table';
import { createTenantData } from './adapters/tenant-data';
import { createTenantStandings } from './adapters/tenant-standings';
import { createTenantTiers } from './adapters/tenant-tiers';
import { createUsageReader, createUsageReports } from './adapters/usage-table';
import { createWebSocketPusher } from './adapters/websocket-pusher';
import { config } from './config';
import { logger } from './logger';
import type { PublishEvents } from './ports';

const envVerifier = once(() => tokenVerifierFromEnv());

/**
 * Starts fetching the identity provider's signing keys at cold start, in functions whose
 * environment names a user pool (the HTTP and `$connect` ones), so the first request does not wait
 * for them. A failure here is not fatal: the first request fetches again (503 if it still fails).
 */
const preloadVerifier = () => {
  if (!process.env.COGNITO_USER_POOL_ID || !process.env.COGNITO_CLIENT_IDS) return;
  try {
    envVerifier()
      .preload?.()
      .catch(() => undefined);
  } catch {
    // misconfigured: the first request reports it
  }
};
preloadVerifier();

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
  answers: createAnswersTable(documentClient, {
    answers: config.answersTableName,
    conversations: config.conversationsTableName,
  }),
  connections: createConnectionsTable(documentClient, config.connectionsTableName),
  tiers: createTenantTiers(documentClient, {
    tableName: config.tenantRegistryTableName,
    ttlMs: TIER_CACHE_MS,
    onUnknownTier: (tenantId) =>
      logger.warn('Unknown tier in the tenant registry, using basic', { tenantId }),
  }),
  limiter: createPromptLimiter(documentClient, {
    tableName: config.rateLimitsTableName,
    slotSeconds: config.answerDeadlineSeconds,
  }),
  usage: createUsageReader(documentClient, config.usageTableName),
  /** The usage API's reports (the usage table) and tenants (auth's tenant registry). */
  usageReports: createUsageReports(documentClient, config.usageTableName),
  standings: createTenantStandings(documentClient, config.tenantRegistryTableName),
  /** The caller's groups in the user pool (pool id read on first use). */
  adminGroups: createAdminGroups(cognitoClient, config.userPoolId),
  metrics: createPromptMetrics(),
  publish: ((events) => putEvents(eventBridgeClient, config.eventBusName(), events)) satisfies PublishEvents,
  /** Publishes to auth's control bus (offboarding reports only). */
  publishControl: ((events) =>
    putEvents(eventBridgeClient, config.controlBusName(), events)) satisfies PublishEvents,
  /** Offboarding waits out the tier cache, so no container admits a prompt of the tenant any more. */
  settle: () => new Promise<void>((resolve) => setTimeout(resolve, TIER_CACHE_MS)),
  tenantData: createTenantData(documentClient, managementApiClient, () => ({
    answers: config.answersTableName(),
    conversations: config.conversationsTableName(),
    connections: config.connectionsTableName(),
    rateLimits: config.rateLimitsTableName(),
    usage: config.usageTableName(),
  })),
  pusher: createWebSocketPusher(managementApiClient),
  answerTtlDays: config.answerTtlDays,
  answerDeadlineSeconds: config.answerDeadlineSeconds,
  connectionTtlSeconds: config.connectionTtlSeconds,
};
