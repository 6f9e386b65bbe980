import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantTier } from '@tenant-assistant/tenant-context/tiers';
import {
  type Answer,
  awaitAnswer,
  ChatApiError,
  type openSocket,
  type Session,
  submitPrompt,
} from './client';
import { STAGE } from './stack';
import type { StackInfo } from './state';

/** auth's tenant registry on the local stage. */
const TENANT_REGISTRY_TABLE = `tenant-assistant-auth-${STAGE}-tenants`;

/** A signed-in user with an open WebSocket. */
export interface ChatUser {
  session: Session;
  socket: Awaited<ReturnType<typeof openSocket>>;
}

/**
 * Sets a tenant's tier in auth's tenant registry, the item the admin API's tenant update writes;
 * chat-api reads it (cached per container for at most 30 s, so set it before the tenant's first
 * prompt or wait that long).
 */
export const setTenantTier = async (info: StackInfo, tenantId: string, tier: TenantTier) => {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: info.region,
      endpoint: info.dynamodbUrl,
      credentials: info.adminCredentials,
    }),
  );
  try {
    await db.send(
      new UpdateCommand({
        TableName: TENANT_REGISTRY_TABLE,
        Key: { tenantId },
        UpdateExpression: 'SET tier = :tier',
        ConditionExpression: 'attribute_exists(tenantId)',
        ExpressionAttributeValues: { ':tier': tier },
      }),
    );
  } finally {
    db.destroy();
  }
};

/** What one user's stream of prompts met. */
export interface PromptStreamResult {
  /** Prompt → answer completed, ms, of each accepted prompt. */
  latencies: number[];
  /** Refusals by error code (429 codes, …). */
  refusals: Record<string, number>;
  /** Accepted prompts whose answer did not complete (FAILED or no answer in time). */
  failed: number;
  accepted: number;
  sent: number;
}

const emptyResult = (): PromptStreamResult => ({
  latencies: [],
  refusals: {},
  failed: 0,
  accepted: 0,
  sent: 0,
});

/**
 * Sends prompts from `users` in turn at a fixed rate (open loop: a slow answer does not slow the
 * sender) for `durationMs`, and waits for every accepted answer to end.
 */
export const promptStream = async (
  info: StackInfo,
  users: readonly ChatUser[],
  options: { perMinute: number; durationMs: number; prompt: string; answerTimeoutMs?: number },
): Promise<PromptStreamResult> => {
  const result = emptyResult();
  const intervalMs = 60_000 / options.perMinute;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < options.durationMs; i += 1) {
    const user = users[i % users.length] as ChatUser;
    const t0 = performance.now();
    result.sent += 1;
    pending.push(
      (async () => {
        try {
          const { answerId } = await submitPrompt(info, user.session, options.prompt);
          result.accepted += 1;
          const answer: Answer = await awaitAnswer(info, user.session, answerId, {
            socket: user.socket,
            timeoutMs: options.answerTimeoutMs ?? 120_000,
          });
          if (answer.status === 'COMPLETED') result.latencies.push(performance.now() - t0);
          else result.failed += 1;
        } catch (error) {
          const code = error instanceof ChatApiError ? error.code : 'NO_ANSWER';
          if (code === 'NO_ANSWER') result.failed += 1;
          else result.refusals[code] = (result.refusals[code] ?? 0) + 1;
        }
      })(),
    );
    const nextAt = started + (i + 1) * intervalMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
  }
  await Promise.all(pending);
  return result;
};

/** The p-th percentile of the values (nearest rank), NaN for none. */
export const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);
};

/** Who chats and who floods, how fast, for how long. */
export interface NoisyNeighbourOptions {
  victim: readonly ChatUser[];
  flooders: readonly ChatUser[];
  victimPerMinute: number;
  floodPerMinute: number;
  durationMs: number;
  prompt: string;
}

/** The victim chats at `victimPerMinute` while the flooders send `floodPerMinute` prompts (together). */
export const noisyNeighbourFlood = async (info: StackInfo, options: NoisyNeighbourOptions) => {
  const [victim, flood] = await Promise.all([
    promptStream(info, options.victim, {
      perMinute: options.victimPerMinute,
      durationMs: options.durationMs,
      prompt: options.prompt,
    }),
    promptStream(info, options.flooders, {
      perMinute: options.floodPerMinute,
      durationMs: options.durationMs,
      prompt: options.prompt,
    }),
  ]);
  return { victim, flood };
};

/**
 * The noisy-neighbour run: the victim chats at `victimPerMinute` alone for `durationMs`, then again
 * during the flood ({@link noisyNeighbourFlood}) for the same time.
 */
export const noisyNeighbour = async (info: StackInfo, options: NoisyNeighbourOptions) => {
  const alone = await promptStream(info, options.victim, {
    perMinute: options.victimPerMinute,
    durationMs: options.durationMs,
    prompt: options.prompt,
  });
  const { victim: duringFlood, flood } = await noisyNeighbourFlood(info, options);
  return { alone, duringFlood, flood };
};
