import * as z from 'zod';
import { MAX_PROMPT_LENGTH } from './limits';

/**
 * Tenant tiers: the one place that says what each tier may do. Pure and browser-safe (the web app's
 * usage page and chat screen import it; chat-api enforces it; the agent-invoker picks the agent
 * alias from it). A tenant's tier is data (TenantConfig `tier`, changed through the admin API), so
 * changing a tenant's tier changes its limits without a deployment.
 */
export const TENANT_TIERS = ['basic', 'standard', 'premium', 'enterprise'] as const;
export type TenantTier = (typeof TENANT_TIERS)[number];

/** zod schema of a tier name. */
export const tenantTierSchema = z.enum(TENANT_TIERS);

/** The agent aliases a tier can be served by (each maps to a deployed Bedrock agent alias id). */
export const AGENT_ALIASES = ['standard', 'premium'] as const;
export type AgentAlias = (typeof AGENT_ALIASES)[number];

/** What one tier allows. Rates are per fixed one-minute window. */
export interface TierLimits {
  /** Prompts the whole tenant may submit per minute (every user together). */
  readonly tenantPromptsPerMinute: number;
  /** Prompts one user may submit per minute. */
  readonly userPromptsPerMinute: number;
  /** Answers of the tenant being worked on at once (submitted and not yet completed or failed). */
  readonly answersInFlight: number;
  /** Model tokens (input + output) the tenant may use per calendar month (UTC). */
  readonly monthlyTokenBudget: number;
  /** Longest prompt accepted, characters (never more than MAX_PROMPT_LENGTH). */
  readonly maxPromptLength: number;
  /** Which agent alias (and so which model) answers the tenant's prompts. */
  readonly agentAlias: AgentAlias;
}

/** The limits of every tier. */
export const TIER_LIMITS: { readonly [T in TenantTier]: TierLimits } = {
  basic: {
    tenantPromptsPerMinute: 10,
    userPromptsPerMinute: 6,
    answersInFlight: 2,
    monthlyTokenBudget: 200_000,
    maxPromptLength: 1000,
    agentAlias: 'standard',
  },
  standard: {
    tenantPromptsPerMinute: 60,
    userPromptsPerMinute: 20,
    answersInFlight: 10,
    monthlyTokenBudget: 2_000_000,
    maxPromptLength: 2000,
    agentAlias: 'standard',
  },
  premium: {
    tenantPromptsPerMinute: 300,
    userPromptsPerMinute: 60,
    answersInFlight: 40,
    monthlyTokenBudget: 20_000_000,
    maxPromptLength: MAX_PROMPT_LENGTH,
    agentAlias: 'premium',
  },
  enterprise: {
    tenantPromptsPerMinute: 6000,
    userPromptsPerMinute: 600,
    answersInFlight: 200,
    monthlyTokenBudget: 500_000_000,
    maxPromptLength: MAX_PROMPT_LENGTH,
    agentAlias: 'premium',
  },
};

/** Whether `value` names a tier. */
export const isTenantTier = (value: unknown): value is TenantTier =>
  typeof value === 'string' && (TENANT_TIERS as readonly string[]).includes(value);

/**
 * The limits of a tier. @example tierLimits('basic').userPromptsPerMinute // 6
 */
export const tierLimits = (tier: TenantTier): TierLimits => TIER_LIMITS[tier];

/** Codes of the refusals a tier's limits cause (the `error.code` of chat-api's 429 answers). */
export const LIMIT_CODES = {
  tenantRate: 'TENANT_RATE_LIMITED',
  userRate: 'USER_RATE_LIMITED',
  tokenBudget: 'TOKEN_BUDGET_EXHAUSTED',
  answersInFlight: 'TOO_MANY_ANSWERS_IN_FLIGHT',
} as const;
export type LimitCode = (typeof LIMIT_CODES)[keyof typeof LIMIT_CODES];

/** The calendar month (UTC) of a time, `YYYY-MM`: the token budget's period. */
export const usageMonth = (at: Date): string => at.toISOString().slice(0, 7);
/** The day (UTC) of a time, `YYYY-MM-DD`. */
export const usageDay = (at: Date): string => at.toISOString().slice(0, 10);

/** Seconds from `at` until the next calendar month (UTC) starts: when a spent budget renews. */
export const secondsUntilNextMonth = (at: Date): number => {
  const next = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
};

/**
 * Sort keys of the usage table (partition key `tenantId`): the agent-invoker adds each answer's
 * tokens to the tenant's and the user's day and month (once per answer, marked by `answer`);
 * chat-api reads the month for the token budget and all of them for the usage API.
 */
export const usageSortKeys = {
  month: (month: string) => `month#${month}`,
  day: (day: string) => `day#${day}`,
  userMonth: (userId: string, month: string) => `user#${userId}#month#${month}`,
  userDay: (userId: string, day: string) => `user#${userId}#day#${day}`,
  answer: (answerId: string) => `answer#${answerId}`,
};
