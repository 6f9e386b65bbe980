import type { ErrorBody } from '@tenant-assistant/lambda-kit/errors';
import { conversationIdSchema, MAX_PROMPT_LENGTH } from '@tenant-assistant/tenant-context';
import * as z from 'zod';

/**
 * The chat HTTP API (chat-api's routes, the web app's client): request bodies, queries and the views
 * the routes answer with. Browser-safe.
 */

/** The body of every error response: `{"error":{"code","message"}}`. */
export type { ErrorBody };
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
}) satisfies z.ZodType<ErrorBody>;

/** The statuses of an answer: `PENDING` → `STREAMING` → `COMPLETED` | `FAILED`. */
export const ANSWER_STATUSES = ['PENDING', 'STREAMING', 'COMPLETED', 'FAILED'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/** Statuses after which an answer never changes again. */
export const FINAL_STATUSES: readonly AnswerStatus[] = ['COMPLETED', 'FAILED'];

/** True for `COMPLETED` and `FAILED`. */
export const isFinalStatus = (status: AnswerStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * Body of `POST /prompts`. Unknown fields (a `tenantId` or `userId` among them) are dropped: tenant
 * and user come only from the verified token.
 */
export const submitPromptBodySchema = z.object({
  prompt: z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`)
    .refine((prompt) => prompt.trim().length > 0, 'must not be blank'),
  conversationId: conversationIdSchema.optional(),
});
export type SubmitPromptBody = z.output<typeof submitPromptBodySchema>;

/** `202` answer of `POST /prompts`. */
export interface PromptAccepted {
  answerId: string;
  conversationId: string;
  /** When chat-api stops waiting for the answer (ISO instant); clients stop waiting then too. */
  deadlineAt: string;
}

/** What the caller sees of an answer (`GET /answers/{answerId}`, and in pages of answers). */
export interface AnswerView {
  answerId: string;
  conversationId: string;
  prompt: string;
  status: AnswerStatus;
  /** The whole answer when COMPLETED; while streaming, the chunks received so far without a gap. */
  text: string;
  reason?: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** When chat-api stops waiting for this answer (ISO instant). */
  deadlineAt: string;
}

/** Answers per page of `GET /answers` unless `limit` says otherwise, and the most it allows. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Query of `GET /answers`. */
export const listAnswersQuerySchema = z.object({
  conversationId: conversationIdSchema,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(256).optional(),
});
export type ListAnswersQuery = z.output<typeof listAnswersQuerySchema>;

/** `GET /answers`: one page of the caller's answers in a conversation, oldest first. */
export interface AnswerPage {
  conversationId: string;
  answers: AnswerView[];
  /** Pass as `cursor` to read the next page; absent on the last page. */
  nextCursor?: string;
}

/** A calendar month (UTC), `YYYY-MM`: the period of usage reports and of the token budget. */
export const usageMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM (e.g. 2026-03)');

/**
 * Query of `GET /usage` and `GET /usage/tenants/{tenantId}`: the month (default: the current one).
 * Strict: an unknown parameter (a `tenantId` among them) is refused, never ignored, so no query can
 * widen what a tenant admin sees.
 */
export const usageQuerySchema = z.strictObject({ month: usageMonthSchema.optional() });
export type UsageQuery = z.output<typeof usageQuerySchema>;

/** Tenants per page of `GET /usage/tenants` unless `limit` says otherwise, and the most it allows. */
export const DEFAULT_USAGE_PAGE_SIZE = 25;
export const MAX_USAGE_PAGE_SIZE = 100;

/** Query of `GET /usage/tenants` (platform admins): the month and one page of tenants. */
export const tenantsUsageQuerySchema = z.strictObject({
  month: usageMonthSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_USAGE_PAGE_SIZE).default(DEFAULT_USAGE_PAGE_SIZE),
  cursor: z.string().min(1).max(256).optional(),
});
export type TenantsUsageQuery = z.output<typeof tenantsUsageQuerySchema>;

/** Tokens and prompts of a period (answers metered by the agent-invoker, once each). */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  /** `inputTokens + outputTokens`: what the monthly token budget counts. */
  totalTokens: number;
  /** Answers metered (one per answered prompt). */
  prompts: number;
}

/** One tenant's month, as the list of every tenant shows it. */
export interface TenantUsageSummary {
  tenantId: string;
  /** The tenant's tier now (its limits: tenant-context's tiers). */
  tier: string;
  /** The registry's status, e.g. `ACTIVE` or `SUSPENDED`. */
  status: string;
  month: string;
  totals: UsageTotals;
  /** The tier's monthly token budget, and how much of it is used (0..1, may pass 1). */
  monthlyTokenBudget: number;
  budgetUsed: number;
}

/** One tenant's month in detail (`GET /usage`, `GET /usage/tenants/{tenantId}`). */
export interface TenantUsageView extends TenantUsageSummary {
  /** Today (UTC) when `month` is the current month; absent for another month. */
  today?: UsageTotals & { day: string };
  /** Every day of the month up to today (the whole month when it is over), zeros included, oldest first. */
  days: (UsageTotals & { day: string })[];
  /** Each user with usage in the month, most tokens first. */
  users: (UsageTotals & { userId: string })[];
}

/** `GET /usage/tenants`: one page of every tenant's month. */
export interface TenantsUsagePage {
  month: string;
  tenants: TenantUsageSummary[];
  /** Pass as `cursor` to read the next page; absent on the last page. */
  nextCursor?: string;
}

/** Percentiles of a timing metric (unit Milliseconds, e.g. `AnswerLatency`). */
export interface TimingSummary {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/**
 * One tenant's metrics as the local system collected them from the functions' metric lines
 * (`GET /metrics` of its metrics server, the tenant's admins; `GET /metrics/tenants/{tenantId}`,
 * platform admins). In AWS the same lines are CloudWatch metrics.
 */
export interface TenantMetricsView {
  tenantId: string;
  /** Sum of each count metric over the tenant's lines (`PromptAccepted`, `PromptThrottled`, `AnswerCompleted`, `AnswerFailed`, `InputTokens`, …). */
  totals: Record<string, number>;
  /** Each timing metric with its percentiles. */
  timings: Record<string, TimingSummary>;
  /** Time of the first and last line (ms since the epoch), when there is one. */
  from?: number;
  to?: number;
}
