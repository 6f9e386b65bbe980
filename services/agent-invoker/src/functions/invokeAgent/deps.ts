import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putEvents } from '@tenant-assistant/contracts/eventbridge';
import { createScopedCredentialsProvider } from '@tenant-assistant/tenant-context/credentials';
import {
  cognitoMembershipLookup,
  createMembershipVerifier,
} from '@tenant-assistant/tenant-context/membership';
import type { Context } from 'aws-lambda';
import { createAnswerMetrics } from '../../adapters/answer-metrics';
import type { clients as awsClients } from '../../clients';
import type { Config } from '../../config';
import type { AnswerPorts } from '../../domain/answer-prompt';
import { FAILURE_REASONS } from '../../domain/failures';
import {
  type IdempotentOutcome,
  makeIdempotentAnswer,
  type PromptEvent,
} from '../../domain/idempotent-answer';
import { createUsageMeter } from '../../domain/metering';
import type { AnswerOwner } from '../../middlewares/prompt-error-handler';

/** What the invokeAgent handler needs. */
export interface Deps {
  /** Answers a prompt at most once per answerId. */
  answer: (event: PromptEvent, context: Context) => Promise<IdempotentOutcome>;
  /** Publishes AnswerFailed for a prompt refused by the contract. */
  publishRefusal: (owner: AnswerOwner) => Promise<void>;
}

export interface CreateDepsOptions {
  config: Config;
  clients: typeof awsClients;
  logger: Logger;
  /** Overrides of the answering ports (tests pass a fake clock, sleep and random). */
  ports?: Partial<Pick<AnswerPorts, 'clock' | 'sleep' | 'random' | 'chunking' | 'meter' | 'metrics'>>;
  /** Overrides the idempotency deadline margin (default 10 s). */
  deadlineMarginMs?: number;
}

/** One metrics writer per container (module scope, like the AWS clients). */
const answerMetrics = createAnswerMetrics();

/**
 * Wires the handler's dependencies once per container: the scoped-credentials provider (its cache
 * of (tenant, user) credentials lives as long as the container), the idempotency persistence layer
 * on this service's own table, and the answering ports.
 *
 * @example const deps = createDeps({ config: readConfig(), clients, logger });
 */
export const createDeps = (options: CreateDepsOptions): Deps => {
  const { config, clients, logger } = options;
  const credentials = createScopedCredentialsProvider({
    roleArn: config.tenantDataAccessRoleArn,
    sts: clients.sts,
    tables: {
      tenantConfigTableArn: config.tenantConfigTableArn,
      ordersTableArnPrefix: config.ordersTableArnPrefix,
    },
  });
  // One per container, like the credentials cache: users' tenants are looked up once per TTL.
  const membership = createMembershipVerifier({
    lookup: cognitoMembershipLookup(clients.cognito, config.cognitoUserPoolId),
  });
  const ports: AnswerPorts = {
    membership,
    credentials,
    agent: clients.agent,
    eventBridge: clients.eventBridge,
    settings: config,
    logger,
    clock: Date.now,
    sleep: (ms) => sleep(ms),
    random: Math.random,
    meter: createUsageMeter(DynamoDBDocumentClient.from(clients.dynamodb), config.usageTableName),
    metrics: answerMetrics,
    ...options.ports,
  };
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: config.idempotencyTableName,
    awsSdkV3Client: clients.dynamodb,
  });
  return {
    answer: makeIdempotentAnswer({
      ports,
      persistenceStore,
      logger,
      ...(options.deadlineMarginMs === undefined ? {} : { deadlineMarginMs: options.deadlineMarginMs }),
    }),
    publishRefusal: (owner) =>
      putEvents(clients.eventBridge, config.eventBusName, [
        { detailType: 'AnswerFailed', detail: { ...owner, reason: FAILURE_REASONS.invalidRequest } },
      ]),
  };
};
