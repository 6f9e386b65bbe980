import {
  type TenantMetricsView,
  type TenantUsageView,
  usageMonthSchema,
} from '@tenant-assistant/contracts/http';
import { MAX_PROMPT_LENGTH } from '@tenant-assistant/tenant-context';
import * as z from 'zod';
import { AnswerNotFoundError, ApiError, ConversationNotFoundError, type WebError } from '../errors';
import { commonErrorOf, createHttpClient, type HttpClientDeps, readFailure } from '../http-client';
import { ANSWER_STATUSES, type AnswerStatus } from './answer-stream';

/** Longest prompt chat-api accepts (the shared contract's limit). */
export { MAX_PROMPT_LENGTH };

/** An answer as `GET /answers/{answerId}` and the history return it. */
export interface AnswerRecord {
  readonly answerId: string;
  readonly conversationId?: string;
  readonly status: AnswerStatus;
  readonly prompt?: string;
  readonly text?: string;
  readonly reason?: string;
  readonly createdAt?: string;
  /** When chat-api stops waiting for the answer (ISO instant). */
  readonly deadlineAt?: string;
}

/** One of the caller's conversations, as `GET /conversations` lists it. */
export interface ConversationSummary {
  readonly conversationId: string;
  /** Its first prompt. */
  readonly title: string;
  readonly lastPromptAt: string;
}

export interface ApiClientDeps extends Omit<HttpClientDeps, 'baseUrl'> {
  /** chat-api base URL, without a trailing slash. */
  readonly apiUrl: string;
  /** The local system's metrics server, when there is one (`/config.json`'s `metricsUrl`). */
  readonly metricsUrl?: string;
}

export interface ApiClient {
  submitPrompt(
    prompt: string,
    conversationId?: string,
  ): Promise<{ answerId: string; conversationId: string; deadlineAt?: string }>;
  getAnswer(answerId: string): Promise<AnswerRecord>;
  /** One page of a conversation, oldest first; pass `nextCursor` back as `cursor` for the next page. */
  listAnswers(
    conversationId: string,
    cursor?: string,
  ): Promise<{ answers: AnswerRecord[]; nextCursor?: string }>;
  /** One page of the caller's conversations, the most recent prompt first. */
  listConversations(cursor?: string): Promise<{ conversations: ConversationSummary[]; nextCursor?: string }>;
  /** The month (`YYYY-MM`, default the current one) of the caller's tenant: admins only (else 403). */
  getUsage(month?: string): Promise<TenantUsageView>;
  /**
   * The caller's tenant's metrics as the local system collected them (admins only, else 403);
   * `undefined` when no metrics server is configured (deployed, the metrics are in CloudWatch).
   */
  getMetrics(): Promise<TenantMetricsView | undefined>;
}

const submittedSchema = z
  .object({
    answerId: z.string().min(1),
    conversationId: z.string().min(1),
    deadlineAt: z.string().optional(),
  })
  .transform(({ answerId, conversationId, deadlineAt }) => ({
    answerId,
    conversationId,
    ...(deadlineAt ? { deadlineAt } : {}),
  }));

const conversationsSchema = z
  .looseObject({
    conversations: z.array(
      z.looseObject({ conversationId: z.string().min(1), title: z.string(), lastPromptAt: z.string() }),
    ),
    nextCursor: z.string().min(1).nullish(),
  })
  .transform((page) => ({
    conversations: page.conversations.map(
      ({ conversationId, title, lastPromptAt }): ConversationSummary => ({
        conversationId,
        title,
        lastPromptAt,
      }),
    ),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  }));

const answerSchema = z
  .looseObject({
    answerId: z.string().min(1),
    conversationId: z.string().optional(),
    status: z.enum(ANSWER_STATUSES),
    prompt: z.string().optional(),
    text: z.string().nullish(),
    reason: z.string().nullish(),
    createdAt: z.string().optional(),
    deadlineAt: z.string().optional(),
  })
  .transform(
    (raw): AnswerRecord => ({
      answerId: raw.answerId,
      status: raw.status,
      ...(raw.conversationId ? { conversationId: raw.conversationId } : {}),
      ...(raw.prompt ? { prompt: raw.prompt } : {}),
      ...(raw.text ? { text: raw.text } : {}),
      ...(raw.reason ? { reason: raw.reason } : {}),
      ...(raw.createdAt ? { createdAt: raw.createdAt } : {}),
      ...(raw.deadlineAt ? { deadlineAt: raw.deadlineAt } : {}),
    }),
  );

const totalsShape = {
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
  prompts: z.number(),
};

/** chat-api's `TenantUsageView` (`GET /usage`). */
const usageSchema = z.looseObject({
  tenantId: z.string(),
  tier: z.string(),
  status: z.string(),
  month: z.string(),
  totals: z.looseObject(totalsShape),
  monthlyTokenBudget: z.number(),
  budgetUsed: z.number(),
  today: z.looseObject({ day: z.string(), ...totalsShape }).optional(),
  days: z.array(z.looseObject({ day: z.string(), ...totalsShape })),
  users: z.array(z.looseObject({ userId: z.string(), ...totalsShape })),
}) satisfies z.ZodType<TenantUsageView>;

/** The local metrics server's `TenantMetricsView` (`GET /metrics`). */
const metricsSchema = z.looseObject({
  tenantId: z.string(),
  totals: z.record(z.string(), z.number()),
  timings: z.record(
    z.string(),
    z.looseObject({ count: z.number(), p50: z.number(), p95: z.number(), max: z.number() }),
  ),
  from: z.number().optional(),
  to: z.number().optional(),
}) satisfies z.ZodType<TenantMetricsView>;

/** Conversations per page of the list. */
export const CONVERSATIONS_PAGE_SIZE = 20;

/** chat-api's `{conversationId, answers, nextCursor?}`. */
const historySchema = z
  .looseObject({ answers: z.array(answerSchema), nextCursor: z.string().min(1).nullish() })
  .transform((page) => ({
    answers: page.answers,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  }));

/** Answers per history page (chat-api's maximum). */
export const HISTORY_PAGE_SIZE = 100;

/** What a user who is not an admin is told when they open the usage page. */
export const ADMIN_ONLY_MESSAGE = "Usage is shown to your organisation's administrators only.";

const GENERIC: Record<number, string> = {
  400: 'The request was not accepted.',
  403: 'Your account is not assigned to a tenant. Contact your administrator.',
  413: `Your prompt is too long: keep it under ${MAX_PROMPT_LENGTH} characters.`,
};

/**
 * Turns a non-2xx response into an error: the envelope `{"error":{"code","message"}}` gives code and
 * (for 4xx) the message; 401 → SessionExpiredError (only a real 401 signs the user out), 404 →
 * AnswerNotFoundError / ConversationNotFoundError, 429 → RateLimitedError, 503 (e.g. the sign-in
 * keys could not be fetched) → ServiceUnavailableError, other 5xx → a generic sentence (server
 * details are never shown). API Gateway's own bodies
 * (`{"message":"Unauthorized"}`, `Too Many Requests`) map the same way.
 */
export const errorFromResponse = async (response: Response): Promise<WebError> => {
  const failure = await readFailure(response);
  const { status, code, body, serverMessage } = failure;
  const common = commonErrorOf(failure);
  if (common) return common;
  if (status === 404) {
    return code === 'CONVERSATION_NOT_FOUND'
      ? new ConversationNotFoundError(body)
      : new AnswerNotFoundError(body);
  }
  const message =
    (status === 400 ? serverMessage : undefined) ??
    (status === 403 && code === 'ADMIN_ROLE_REQUIRED' ? ADMIN_ONLY_MESSAGE : undefined) ??
    // the tenant's tier may allow fewer characters than the contract: chat-api says how many
    (status === 413 && code === 'PROMPT_TOO_LONG' && serverMessage
      ? `Your prompt is too long: ${serverMessage}.`
      : undefined) ??
    GENERIC[status];
  return new ApiError(status, code, message ?? `The request failed (HTTP ${status}).`, body);
};

/**
 * The chat-api client: Bearer = the ID token (it carries the tenant), JSON in and out, errors as
 * WebError subclasses with a sentence for the user.
 * @example const { answerId } = await api.submitPrompt('What is your return policy?');
 */
export const createApiClient = (deps: ApiClientDeps): ApiClient => {
  const { apiUrl, metricsUrl, ...rest } = deps;
  const { request, parse } = createHttpClient({ ...rest, baseUrl: apiUrl }, errorFromResponse);
  const metrics = metricsUrl
    ? createHttpClient({ ...rest, baseUrl: metricsUrl }, errorFromResponse)
    : undefined;

  return {
    async submitPrompt(prompt, conversationId) {
      const trimmed = prompt.trim();
      if (!trimmed) throw new ApiError(400, 'EMPTY_PROMPT', 'Type a question first.');
      if (trimmed.length > MAX_PROMPT_LENGTH)
        throw new ApiError(413, 'PROMPT_TOO_LONG', GENERIC[413] as string);
      const body = conversationId ? { prompt: trimmed, conversationId } : { prompt: trimmed };
      return parse(submittedSchema, await request('POST', '/prompts', body));
    },
    async getAnswer(answerId) {
      return parse(answerSchema, await request('GET', `/answers/${encodeURIComponent(answerId)}`));
    },
    async listAnswers(conversationId, cursor) {
      const query = new URLSearchParams({
        conversationId,
        limit: String(HISTORY_PAGE_SIZE),
        ...(cursor ? { cursor } : {}),
      });
      return parse(historySchema, await request('GET', `/answers?${query.toString()}`));
    },
    async listConversations(cursor) {
      const query = new URLSearchParams({
        limit: String(CONVERSATIONS_PAGE_SIZE),
        ...(cursor ? { cursor } : {}),
      });
      return parse(conversationsSchema, await request('GET', `/conversations?${query.toString()}`));
    },
    async getUsage(month) {
      if (month !== undefined && !usageMonthSchema.safeParse(month).success)
        throw new ApiError(400, 'INVALID_MONTH', 'Choose a month written YYYY-MM.');
      const query = month ? `?${new URLSearchParams({ month }).toString()}` : '';
      return parse(usageSchema, await request('GET', `/usage${query}`));
    },
    async getMetrics() {
      if (!metrics) return undefined;
      return parse(metricsSchema, await metrics.request('GET', '/metrics'));
    },
  };
};
